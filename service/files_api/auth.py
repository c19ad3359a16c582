"""Bearer-token auth for every `/v1` request, on unless explicitly disabled."""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from files_api.errors import FilesApiError, Unauthorized, Unavailable
from files_api.responses import error_response
from files_api.secrets import Secrets
from files_api.settings import Settings

PROTECTED = "/v1"


class Auth:
    """Checks `Authorization: Bearer <token>` against the configured tokens."""

    def __init__(self, settings: Settings, secrets: Secrets) -> None:
        self.settings = settings
        self.secrets = secrets

    def check(self, authorization: str | None) -> None:
        """Return if the header carries a valid token; raise `Unauthorized` otherwise."""
        if self.settings.auth_disabled:
            return
        configured = self.secrets.get(self.settings.api_tokens)
        if configured is None:
            raise Unavailable(
                f"no API token is configured: set {self.settings.api_tokens.where}, "
                "or AUTH_DISABLED=true to run open"
            )
        scheme, _, sent = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not sent.strip():
            raise Unauthorized("send the header Authorization: Bearer <token>")
        offered = sent.strip().encode()
        # Compare with every token, in constant time each, so timing tells nothing.
        matched = False
        for token in configured.split(","):
            if token.strip():
                matched |= hmac.compare_digest(token.strip().encode(), offered)
        if not matched:
            raise Unauthorized("the bearer token is not valid")


class AuthMiddleware:
    """Answers 401 (JSON, with WWW-Authenticate) before any `/v1` route runs."""

    def __init__(self, app: ASGIApp, auth: Auth) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and (path == PROTECTED or path.startswith(PROTECTED + "/")):
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            try:
                self.auth.check(header)
            except FilesApiError as exc:
                await error_response(exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)
