"""JSON log lines: one per request, plus errors, each carrying the request id.

Never log bodies, tokens, secrets or query strings (prompts live there).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from typing import Any

request_id: ContextVar[str] = ContextVar("request_id", default="-")
FIELDS = ("method", "path", "status", "duration_ms", "cold_start", "function_name",
          "function_version")  # fmt: skip


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class StdoutHandler(logging.Handler):
    """Writes to whatever `sys.stdout` is now (Lambda sends stdout to CloudWatch)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def configure(name: str = "files_api") -> logging.Logger:
    """JSON lines to stdout for `name`'s loggers, once, not through the root logger."""
    logger = logging.getLogger(name)
    if not any(isinstance(handler, StdoutHandler) for handler in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def request_path(event: dict[str, Any]) -> str:
    """The request's path as the event carries it (never its query)."""
    http = event.get("requestContext", {}).get("http", {})
    return str(event.get("rawPath") or http.get("path") or event.get("path") or "")


def request_method(event: dict[str, Any]) -> str:
    http = event.get("requestContext", {}).get("http", {})
    return str(http.get("method") or event.get("httpMethod") or "")
