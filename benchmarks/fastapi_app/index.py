"""The comparison app: the same routes on FastAPI + Mangum, for benchmarks/ only.

It shares the service's domain modules (settings, secrets, auth, storage,
paths, generators), so the benchmark compares the web layer: what FastAPI
(and pydantic) cost at cold start and per request, against plain Starlette.
Kept out of service/ and never shipped.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from files_api import aws
from files_api.auth import Auth
from files_api.errors import FilesApiError, InvalidParameter
from files_api.files import byte_range, preconditions, stored_response, upload
from files_api.generation import make_generator
from files_api.generators import wanted
from files_api.paths import to_key, to_prefix
from files_api.responses import error_response, file_headers
from files_api.secrets import Secrets
from files_api.settings import Settings
from files_api.storage import Storage
from mangum import Mangum

settings = Settings.from_env()
if os.environ.get("BENCH_CLIENTS") == "boto3":
    # As a FastAPI app would usually do it.
    import boto3
    from botocore.config import Config

    s3: Any = boto3.client("s3", config=Config(signature_version="s3v4"))
    ssm: Any = boto3.client("ssm") if settings.api_tokens.parameter else None
else:
    # The service's own clients, so the comparison is of the web layer alone.
    s3 = aws.s3_client()
    ssm = aws.ssm_client() if settings.api_tokens.parameter else None
secrets = Secrets(settings.secrets_ttl_seconds, ssm=ssm)
auth = Auth(settings, secrets)
storage = Storage(settings.bucket, s3)
generator = make_generator(settings, secrets)
app = FastAPI(title="files-api (FastAPI comparison)")
app.state.settings = settings  # read by the shared upload helper
app.state.storage = storage


@app.exception_handler(FilesApiError)
async def api_error(request: Request, exc: FilesApiError) -> Response:
    return error_response(exc)


@app.middleware("http")
async def bearer(request: Request, call_next: Any) -> Response:
    if request.url.path.startswith("/v1"):
        try:
            auth.check(request.headers.get("authorization"))
        except FilesApiError as exc:
            return error_response(exc)
    response: Response = await call_next(request)
    return response


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/v1/files")
async def list_files(
    prefix: str = "",
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: str | None = None,
) -> dict[str, Any]:
    page = storage.list(to_prefix(prefix), page_size, page_token or None)
    return {"files": [f.to_json() for f in page.files], "next_page_token": page.next_token}


@app.put("/v1/files/{path:path}")
async def put_file(path: str, request: Request) -> Response:
    key = to_key(path)
    if_match, if_none_match = preconditions(request)
    body, content_type = await upload(request, key)
    stored, created = storage.put(
        key, body, content_type, if_match=if_match, if_none_match=if_none_match
    )
    return stored_response(stored, created)


@app.get("/v1/files/{path:path}")
async def get_file(
    path: str,
    range: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    key = to_key(path)
    download = storage.get(key, byte_range=byte_range(range), if_none_match=if_none_match)
    if download is None:
        return Response(status_code=304)
    if download.length > settings.inline_limit_bytes:
        download.body.close()
        url = storage.presigned_url("GET", key, settings.presigned_url_seconds)
        return RedirectResponse(url, status_code=307)
    headers = {**file_headers(download.file), "Content-Length": str(download.length)}
    if download.content_range:
        headers["Content-Range"] = download.content_range
    status = 206 if download.content_range else 200
    return Response(download.body.read(), status_code=status, headers=headers)


@app.head("/v1/files/{path:path}")
async def head_file(path: str, if_none_match: Annotated[str | None, Header()] = None) -> Response:
    file = storage.head(to_key(path), if_none_match=if_none_match)
    if file is None:
        return Response(status_code=304)
    return Response(headers={**file_headers(file), "Content-Length": str(file.size)})


@app.delete("/v1/files/{path:path}", status_code=204)
async def delete_file(path: str) -> Response:
    storage.delete(to_key(path))
    return Response(status_code=204)


@app.post("/v1/presigned/{path:path}")
async def presign(path: str, method: str, expires_in: int | None = None) -> JSONResponse:
    key, method = to_key(path), method.upper()
    if method not in ("GET", "PUT"):
        raise InvalidParameter("method must be GET or PUT")
    seconds = expires_in or settings.presigned_url_seconds
    url = storage.presigned_url(method, key, seconds)
    return JSONResponse({"path": key, "method": method, "url": url, "expires_in": seconds})


@app.put("/v1/generated/files/{path:path}")
async def generate(
    path: str,
    request: Request,
    type: str,
    prompt: Annotated[str, Query(max_length=4000)],
) -> Response:
    key = to_key(path)
    if_match, if_none_match = preconditions(request)
    want = wanted(type, key, prompt)
    result = generator.generate(want)
    stored, created = storage.put(
        key, result.body, want.content_type, if_match=if_match, if_none_match=if_none_match
    )
    return stored_response(
        stored, created, generator={"backend": result.backend, "model": result.model}
    )


handler = Mangum(app, lifespan="off")
