from __future__ import annotations

import pytest

from localcloud import routes
from localcloud.routes import Route

TABLE = [
    Route("$default", "arn:default"),
    Route("GET /v1/files/{path+}", "arn:get-greedy"),
    Route("ANY /v1/files/{path+}", "arn:any-greedy"),
    Route("GET /v1/files/{name}", "arn:get-one"),
    Route("GET /v1/files/readme", "arn:get-exact"),
]


@pytest.mark.parametrize(
    ("method", "path", "arn", "params"),
    [
        pytest.param("GET", "/v1/files/readme", "arn:get-exact", {}, id="exact-first"),
        pytest.param("GET", "/v1/files/other", "arn:get-one", {"name": "other"}, id="variable"),
        pytest.param("GET", "/v1/files/a/b c", "arn:get-greedy", {"path": "a/b c"}, id="greedy"),
        pytest.param("PUT", "/v1/files/a/b", "arn:any-greedy", {"path": "a/b"}, id="any-method"),
        pytest.param("PUT", "/v1/files/readme", "arn:any-greedy", {"path": "readme"}, id="method"),
        pytest.param("GET", "/v1/files", "arn:default", {}, id="greedy-needs-a-segment"),
        pytest.param("GET", "/elsewhere", "arn:default", {}, id="default"),
    ],
)
def test_find_picks_the_most_specific_route(
    method: str, path: str, arn: str, params: dict[str, str]
) -> None:
    found = routes.find(TABLE, method, path)

    assert found is not None
    assert (found[0].function_arn, found[1]) == (arn, params)


def test_find_without_default_route_is_none() -> None:
    assert routes.find(TABLE[1:], "GET", "/elsewhere") is None
    assert routes.find(TABLE[1:], "POST", "/v1/files/readme/x") == (
        TABLE[2],
        {"path": "readme/x"},
    )


@pytest.mark.parametrize(
    "uri",
    [
        pytest.param(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:f/invocations",
            id="invoke-arn",
        ),
        pytest.param("arn:aws:lambda:us-east-1:123456789012:function:f", id="function-arn"),
    ],
)
def test_function_arn_from_integration_uri(uri: str) -> None:
    assert routes.function_arn(uri) == "arn:aws:lambda:us-east-1:123456789012:function:f"
