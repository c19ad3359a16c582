"""The OpenAPI document served at `/openapi.json`, written out rather than derived."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}
FILE = {"$ref": "#/components/schemas/File"}
PATH_PARAM = {
    "name": "path",
    "in": "path",
    "required": True,
    "description": "the file's path (an S3 key, percent-encoded in the URL)",
    "schema": {"type": "string"},
}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): _json("error", ERROR) for status in (401, *statuses)}


def _bytes(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"*/*": {}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "files-api", "version": "1"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
            "File": {
                "type": "object",
                "required": ["path", "size", "etag", "last_modified"],
                "properties": {
                    "path": {"type": "string"},
                    "size": {"type": "integer"},
                    "content_type": {"type": "string"},
                    "etag": {"type": "string"},
                    "sha256": {"type": "string"},
                    "last_modified": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/health": {"get": {"security": [], "responses": {"200": _json("up", {})}}},
        "/v1/files": {
            "get": {
                "summary": "List files",
                "parameters": [
                    _query("prefix", {"type": "string"}),
                    _query("page_size", {"type": "integer", "minimum": 1, "maximum": 1000}),
                    _query("page_token", {"type": "string"}),
                ],
                "responses": {
                    "200": _json(
                        "a page",
                        {
                            "type": "object",
                            "properties": {
                                "files": {"type": "array", "items": FILE},
                                "next_page_token": {"type": ["string", "null"]},
                            },
                        },
                    ),
                    **_errors(400, 422),
                },
            }
        },
        "/v1/files/{path}": {
            "parameters": [PATH_PARAM],
            "put": {
                "summary": "Store a file (raw body, or multipart field `file`)",
                "requestBody": {"content": {"*/*": {}, "multipart/form-data": {}}},
                "responses": {
                    "200": _json("replaced", FILE),
                    "201": _json("created", FILE),
                    **_errors(400, 412, 413),
                },
            },
            "get": {
                "summary": "Read a file",
                "responses": {
                    "200": _bytes("the file"),
                    "206": _bytes("the requested range"),
                    "304": {"description": "not modified"},
                    "307": {"description": "large file: follow to a presigned URL"},
                    **_errors(400, 404, 416),
                },
            },
            "head": {"summary": "A file's headers", "responses": {"200": {"description": "ok"}}},
            "delete": {
                "summary": "Delete a file",
                "responses": {"204": {"description": "deleted"}, **_errors(400, 404)},
            },
        },
        "/v1/presigned/{path}": {
            "parameters": [PATH_PARAM],
            "post": {
                "summary": "A presigned S3 URL to PUT or GET the file directly",
                "parameters": [
                    _query("method", {"enum": ["GET", "PUT"]}, required=True),
                    _query("expires_in", {"type": "integer", "minimum": 1}),
                ],
                "responses": {"200": _json("the URL", {"type": "object"}), **_errors(404, 422)},
            },
        },
        "/v1/generated/files/{path}": {
            "parameters": [PATH_PARAM],
            "put": {
                "summary": "Generate a file from a prompt and store it",
                "parameters": [
                    _query("type", {"enum": ["text", "image", "audio"]}, required=True),
                    _query("prompt", {"type": "string", "maxLength": 4000}, required=True),
                ],
                "responses": {
                    "200": _json("replaced", FILE),
                    "201": _json("created", FILE),
                    **_errors(400, 412, 422, 502, 503),
                },
            },
        },
    },
}
