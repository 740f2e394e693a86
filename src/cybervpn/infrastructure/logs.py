"""Structured logs (structlog): JSON in production, readable lines in development.

Every line, ours or a library's through the standard `logging` module, carries the
same fields: `logger` (who wrote it), `service` (api, worker, scheduler, cli), level
and time, and the request id when a request is being served (bound per request in a
context variable). In JSON, a traceback is data (frames and locals left out), not text.
"""

import logging
import sys

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger


class _NamedLogger(structlog.PrintLogger):
    """A print logger that knows the name it was asked for (`get_logger(name)`)."""

    def __init__(self, name: str) -> None:
        super().__init__(sys.stderr)
        self.name = name


def _named_logger(*args: object) -> _NamedLogger:
    return _NamedLogger(str(args[0]) if args else "cybervpn")


def configure_logging(level: str, *, json: bool, service: str) -> None:
    def add_service(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
        event.setdefault("service", service)
        return event

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        add_service,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Processor
    exceptions: Processor
    if json:
        renderer = structlog.processors.JSONRenderer()
        exceptions = structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        )
    else:
        # A plain traceback: the default renders every frame's locals with rich,
        # which takes seconds for a deep stack and can print secrets.
        renderer = structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
        exceptions = structlog.processors.format_exc_info
    structlog.configure(
        processors=[*shared, structlog.stdlib.add_logger_name, exceptions, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level]
        ),
        logger_factory=_named_logger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                exceptions,
                renderer,
            ],
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Our own middleware writes the access log, with the request id.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every request URL at INFO; the Telegram Bot API puts the bot token
    # in its URLs, so request lines stay out of the log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
