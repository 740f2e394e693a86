"""Tickets that open the staff live monitoring socket."""

from dataclasses import dataclass

from cybervpn.application.identity.authenticate import Caller
from cybervpn.application.monitoring.ports import TicketStore

TICKET_TTL_SECONDS = 30


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    ticket: str
    expires_in: int


class IssueMonitoringTicket:
    """A staff member trades their access token for a ticket that opens one socket.

    Browsers cannot set headers on a WebSocket, so the ticket travels in the URL; it
    therefore lives 30 seconds, works once and is stored only as a digest, so a URL
    that leaks into a proxy log opens nothing.
    """

    def __init__(self, *, store: TicketStore) -> None:
        self._store = store

    async def execute(self, caller: Caller) -> IssuedTicket:
        subject = f"{caller.account.id}:{caller.session_id}"
        ticket = await self._store.issue(subject, TICKET_TTL_SECONDS)
        return IssuedTicket(ticket=ticket, expires_in=TICKET_TTL_SECONDS)
