"""The metrics context's use cases, one dependency each."""

from typing import Annotated

from fastapi import Depends

from cybervpn.application.jobs.read_backlog import ReadBacklog
from cybervpn.presentation.http.dependencies import UowDep


async def get_read_backlog(uow: UowDep) -> ReadBacklog:
    return ReadBacklog(uow)


ReadBacklogDep = Annotated[ReadBacklog, Depends(get_read_backlog)]
