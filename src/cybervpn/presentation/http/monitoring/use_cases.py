"""The live monitoring feed's use cases, one dependency each."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.monitoring.issue_monitoring_ticket import (
    IssueMonitoringTicket,
)
from cybervpn.application.monitoring.redeem_monitoring_ticket import (
    RedeemMonitoringTicket,
)
from cybervpn.presentation.http.dependencies import ContainerDep


async def get_issue_monitoring_ticket(c: ContainerDep) -> IssueMonitoringTicket:
    return IssueMonitoringTicket(store=c.monitoring_tickets)


async def get_redeem_monitoring_ticket(c: ContainerDep) -> RedeemMonitoringTicket:
    return RedeemMonitoringTicket(
        store=c.monitoring_tickets, lookup=c.account_sessions, clock=c.clock
    )


IssueMonitoringTicketDep = Annotated[
    IssueMonitoringTicket, Depends(get_issue_monitoring_ticket)
]
RedeemMonitoringTicketDep = Annotated[
    RedeemMonitoringTicket, Depends(get_redeem_monitoring_ticket)
]
