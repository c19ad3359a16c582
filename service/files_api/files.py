"""The file routes: `/v1/files/{path}` (GET HEAD PUT DELETE), listing, presigned URLs."""

from __future__ import annotations

import mimetypes
import re
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from files_api.errors import InvalidParameter, InvalidRequest, PayloadTooLarge
from files_api.paths import to_key, to_prefix
from files_api.responses import file_headers
from files_api.settings import Settings
from files_api.storage import Storage, StoredFile

DEFAULT_CONTENT_TYPE = "application/octet-stream"
# What curl and many clients send for a raw body when told nothing else; nobody
# means it for a file, so the file's extension decides instead. Form types are
# never stored: they are not the file's type (and moto's server mangles them).
CLIENT_DEFAULT_TYPES = ("", "application/x-www-form-urlencoded", "multipart/form-data")
SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
PRESIGN_METHODS = ("GET", "PUT")


def content_type_for(key: str, declared: str | None, *, unknown: tuple[str, ...] = ()) -> str:
    """The Content-Type to store: the declared one, else a guess from the extension.

    `unknown` names more types that mean "no idea" in a given context.
    """
    declared = (declared or "").strip()
    if declared.split(";")[0].strip().lower() not in (*CLIENT_DEFAULT_TYPES, *unknown):
        return declared
    return mimetypes.guess_type(key, strict=False)[0] or DEFAULT_CONTENT_TYPE


def storage_of(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def file_url(key: str) -> str:
    return "/v1/files/" + quote(key, safe="/")


def preconditions(request: Request) -> tuple[str | None, bool]:
    """(If-Match etag, If-None-Match: *) of a write; other forms are 400."""
    if_match = request.headers.get("if-match")
    if_none_match = request.headers.get("if-none-match")
    if if_match is not None and if_none_match is not None:
        raise InvalidRequest("send If-Match or If-None-Match, not both")
    if if_none_match is not None and if_none_match.strip() != "*":
        raise InvalidRequest("a write's If-None-Match must be '*' (create only)")
    if if_match is not None:
        etag = if_match.strip()
        if not etag or "," in etag or etag == "*":
            raise InvalidRequest("If-Match must be one ETag, as returned by the API")
        if_match = etag if etag.startswith('"') else f'"{etag}"'
    return if_match, if_none_match is not None


def stored_response(stored: StoredFile, created: bool, **extra: Any) -> JSONResponse:
    """201 when created, 200 when replaced, with the file's metadata and its Location."""
    return JSONResponse(
        {**stored.to_json(), **extra},
        status_code=201 if created else 200,
        headers={"Location": file_url(stored.path), "ETag": stored.etag},
    )


def too_large(key: str, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"the body is larger than the {limit} bytes a request can carry: ask "
        f"POST /v1/presigned/{quote(key, safe='/')}?method=PUT for an upload URL, "
        "then PUT the file to that URL"
    )


async def upload(request: Request, key: str) -> tuple[bytes, str]:
    """The file's bytes and Content-Type: the raw body, or a multipart form's `file` field."""
    limit = settings_of(request).inline_limit_bytes
    declared = request.headers.get("content-type", "")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large(key, limit)
    body = await request.body()
    if len(body) > limit:
        raise too_large(key, limit)
    if declared.split(";")[0].strip().lower() != "multipart/form-data":
        return body, content_type_for(key, declared)
    async with request.form(max_files=1, max_fields=10) as form:
        files = form.getlist("file")
        if len(files) != 1 or not isinstance(files[0], UploadFile):
            raise InvalidRequest("a multipart body needs exactly one file field named 'file'")
        data = await files[0].read()
        # Browsers and curl label a form's file part octet-stream when they don't know.
        part_type = files[0].content_type
        return data, content_type_for(key, part_type, unknown=(DEFAULT_CONTENT_TYPE,))


def byte_range(header: str | None) -> str | None:
    """A single `bytes=` range to pass on; anything else is ignored (RFC 9110 allows it)."""
    match = SINGLE_RANGE.fullmatch((header or "").strip())
    if match is None or not (match[1] or match[2]):
        return None
    if match[1] and match[2] and int(match[2]) < int(match[1]):
        return None
    return match[0]


def not_modified(request: Request) -> Response:
    """304, with the ETag that matched when the client named exactly one."""
    sent = request.headers.get("if-none-match", "").strip()
    single = sent and "," not in sent and sent != "*"
    return Response(status_code=304, headers={"ETag": sent} if single else None)


class FileEndpoint(HTTPEndpoint):
    async def put(self, request: Request) -> Response:
        """Store the request body (or multipart `file`) at the path."""
        key = to_key(request.path_params["path"])
        if_match, if_none_match = preconditions(request)
        body, content_type = await upload(request, key)
        stored, created = storage_of(request).put(
            key, body, content_type, if_match=if_match, if_none_match=if_none_match
        )
        return stored_response(stored, created)

    async def get(self, request: Request) -> Response:
        """The file's bytes; 304 on a matching If-None-Match, 206 for a Range, 307 if large."""
        key = to_key(request.path_params["path"])
        storage, settings = storage_of(request), settings_of(request)
        download = storage.get(
            key,
            byte_range=byte_range(request.headers.get("range")),
            if_none_match=request.headers.get("if-none-match"),
        )
        if download is None:
            return not_modified(request)
        if download.length > settings.inline_limit_bytes:
            download.body.close()
            url = storage.presigned_url("GET", key, settings.presigned_url_seconds)
            return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})
        headers = file_headers(download.file)
        headers["Content-Length"] = str(download.length)
        if download.content_range:
            headers["Content-Range"] = download.content_range
        status = 206 if download.content_range else 200
        return Response(download.body.read(), status_code=status, headers=headers)

    async def head(self, request: Request) -> Response:
        """GET's headers without the body."""
        key = to_key(request.path_params["path"])
        file = storage_of(request).head(key, if_none_match=request.headers.get("if-none-match"))
        if file is None:
            return not_modified(request)
        headers = file_headers(file)
        headers["Content-Length"] = str(file.size)
        return Response(status_code=200, headers=headers)

    async def delete(self, request: Request) -> Response:
        """Delete the file: 204, or 404 if there is none."""
        storage_of(request).delete(to_key(request.path_params["path"]))
        return Response(status_code=204)


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidParameter(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


class ListEndpoint(HTTPEndpoint):
    async def get(self, request: Request) -> Response:
        """A page of files under `prefix`, and the token of the next page (or null)."""
        prefix = to_prefix(request.query_params.get("prefix", ""))
        page_size = int_param(request, "page_size", 100, 1, 1000)
        token = request.query_params.get("page_token") or None
        page = storage_of(request).list(prefix, page_size, token)
        files = [file.to_json() for file in page.files]
        return JSONResponse({"files": files, "next_page_token": page.next_token})


class PresignEndpoint(HTTPEndpoint):
    async def post(self, request: Request) -> Response:
        """A presigned URL to PUT or GET the file directly in S3 (for files past the limit)."""
        key = to_key(request.path_params["path"])
        method = request.query_params.get("method", "").upper()
        if method not in PRESIGN_METHODS:
            raise InvalidParameter("method must be GET or PUT")
        settings = settings_of(request)
        seconds = int_param(request, "expires_in", settings.presigned_url_seconds, 1, 7 * 24 * 3600)
        if method == "GET":
            storage_of(request).exists(key)  # 404 now rather than from S3 later
        url = storage_of(request).presigned_url(method, key, seconds)
        return JSONResponse({"path": key, "method": method, "url": url, "expires_in": seconds})
