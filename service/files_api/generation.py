"""The generation route: `PUT /v1/generated/files/{path}?type=...&prompt=...`."""

from __future__ import annotations

from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import Response

from files_api.files import preconditions, storage_of, stored_response
from files_api.generators import Generator, wanted
from files_api.paths import to_key
from files_api.secrets import Secrets
from files_api.settings import Settings


def make_generator(settings: Settings, secrets: Secrets) -> Generator:
    """The configured backend; its module is imported here, not at cold start of the routes."""
    if settings.generator == "openai":
        from files_api.openai_generator import OpenAIGenerator

        return OpenAIGenerator(settings, lambda: secrets.get(settings.openai_api_key))
    from files_api.local_generator import LocalGenerator

    return LocalGenerator()


class GeneratedFileEndpoint(HTTPEndpoint):
    async def put(self, request: Request) -> Response:
        """Generate a file from the prompt and store it; nothing is stored if that fails."""
        key = to_key(request.path_params["path"])
        if_match, if_none_match = preconditions(request)
        query = request.query_params
        want = wanted(query.get("type"), key, query.get("prompt"))
        generator: Generator = request.app.state.generator
        result = generator.generate(want)
        stored, created = storage_of(request).put(
            key, result.body, want.content_type, if_match=if_match, if_none_match=if_none_match
        )
        return stored_response(
            stored, created, generator={"backend": result.backend, "model": result.model}
        )
