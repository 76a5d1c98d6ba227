"""The process's log configuration: JSON lines or text, for uvicorn and the API."""

from __future__ import annotations

import logging
import sys
from typing import Any, Final, Literal

__all__ = ["log_config"]
_TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_config(
    log_format: Literal["auto", "json", "text"] | str, *, stream: Any = None
) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and the API: JSON lines (one object
    each: ``time``, ``level``, ``logger``, ``message`` and a request's fields) or plain
    text; ``auto`` is text on a terminal, JSON otherwise (a journal, a container's log)."""
    if log_format == "auto":
        log_format = "text" if (stream or sys.stderr).isatty() else "json"
    formatter: dict[str, Any]
    if log_format == "json":
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": _TEXT_FORMAT + "%(request)s"}
    handler: dict[str, Any] = {
        "class": "logging.StreamHandler",
        "formatter": "main",
        "stream": "ext://sys.stderr",
    }
    if log_format == "text":
        handler["filters"] = ["request"]
    info = {"handlers": ["main"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "spikecontent.server.logs._RequestInText"}},
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "loggers": {
            "uvicorn": info,
            "uvicorn.error": {"level": "INFO"},
            # The access log is spikecontent.access (with the request id), not uvicorn's.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "spikecontent": info,
        },
    }


class _RequestInText(logging.Filter):
    """Adds `` id=<request id>`` to a text access line (``%(request)s``; empty otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = getattr(record, "request_id", None)
        record.request = f" id={request_id}" if request_id else ""
        return True
