"""Structured logs (structlog): JSON in production, readable lines in development.

The request id is bound per request in a context variable, so every line logged while
serving a request carries it.
"""

import logging
import sys

import structlog


def configure_logging(level: str, *, json: bool) -> None:
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json
        # A plain traceback: the default renders every frame's locals with rich,
        # which takes seconds for a deep stack and can print secrets.
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level]
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer,
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
