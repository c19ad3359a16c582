"""ASGI middleware that wraps every route: the error boundary and event-path decoding."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from files_api.errors import FilesApiError, InvalidPath
from files_api.paths import event_path
from files_api.responses import error_response

logger = logging.getLogger(__name__)


class ErrorBoundary:
    """Unknown exceptions: logged with the request id, answered with a JSON 500, no internals."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except FilesApiError as exc:
            # Raised by middleware outside the exception table (e.g. a settings problem).
            if not started:
                await error_response(exc)(scope, receive, send)
        except Exception:
            logger.exception("unhandled error")
            if not started:
                error = FilesApiError("internal error; the request id is in the logs")
                await error_response(error)(scope, receive, send)


class EventPath:
    """Route on the event's path decoded exactly once (see `paths.event_path`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        event = scope.get("aws.event")
        if scope["type"] == "http" and isinstance(event, dict):
            try:
                scope = {**scope, "path": event_path(event)}
            except InvalidPath as exc:
                await error_response(exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)
