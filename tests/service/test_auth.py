from __future__ import annotations

from typing import Any

import pytest
from files_api.errors import ConfigurationError
from files_api.secrets import Secrets
from files_api.settings import Secret

from tests.events import KINDS, Builder
from tests.service.conftest import BUCKET, TOKENS_PARAMETER, Api, cold_import

CHALLENGE = 'Bearer realm="files-api"'


@pytest.mark.parametrize("kind", [pytest.param(kind, id=kind.__name__) for kind in KINDS])
@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer wrong", id="wrong-token"),
        pytest.param("Basic dG9rZW4tYQ==", id="other-scheme"),
        pytest.param("Bearer ", id="empty-token"),
        pytest.param("token-a", id="no-scheme"),
        pytest.param("Bearer token-a,token-b", id="both-tokens-joined"),
    ],
)
def test_v1_without_a_valid_token_is_401(
    api: Api, s3: Any, kind: Builder, authorization: str | None
) -> None:
    api.token = None
    headers = {"authorization": authorization} if authorization is not None else {}

    answer = api("PUT", "/v1/files/a.txt", b"x", headers, kind=kind)

    assert (answer.status, answer.error) == (401, "unauthorized")
    assert answer.headers["www-authenticate"] == CHALLENGE
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize("path", ["/v1/files", "/v1/nothing", "/v1"])
def test_every_v1_path_needs_the_token(api: Api, s3: Any, path: str) -> None:
    api.token = None
    assert api("GET", path).status == 401


@pytest.mark.parametrize("token", ["token-a", "token-b"])
def test_any_configured_token_is_accepted(api: Api, s3: Any, token: str) -> None:
    api.token = token
    assert api("GET", "/v1/files").status == 200


def test_scheme_is_case_insensitive(api: Api, s3: Any) -> None:
    api.token = None
    assert api("GET", "/v1/files", headers={"authorization": "bearer token-a"}).status == 200


def test_token_from_plain_env_var(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api(cold_import(monkeypatch, FILES_BUCKET=BUCKET, API_TOKENS="plain-token"))
    api.token = "plain-token"
    assert api("GET", "/v1/files").status == 200


@pytest.mark.parametrize("value", ["unset", ""])
def test_no_token_configured_is_503_naming_the_parameter(
    s3: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    ssm.put_parameter(
        Name=TOKENS_PARAMETER, Value=value or " ", Type="SecureString", Overwrite=True
    )
    api = Api(cold_import(monkeypatch, FILES_BUCKET=BUCKET, API_TOKENS_PARAMETER=TOKENS_PARAMETER))

    answer = api("GET", "/v1/files")

    assert (answer.status, answer.error) == (503, "unavailable")
    assert TOKENS_PARAMETER in answer.json()["error"]["message"]


def test_unreadable_parameter_is_json_500(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api(cold_import(monkeypatch, FILES_BUCKET=BUCKET, API_TOKENS_PARAMETER="/no/such"))

    answer = api("GET", "/v1/files")

    assert (answer.status, answer.error) == (500, "configuration_error")
    assert "/no/such" in answer.json()["error"]["message"]


def test_auth_disabled_runs_open(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api = Api(cold_import(monkeypatch, FILES_BUCKET=BUCKET, AUTH_DISABLED="true"), token=None)
    assert api("PUT", "/v1/files/open.txt", b"x").status == 201


def test_health_and_openapi_need_no_token(api: Api) -> None:
    api.token = None
    assert api("GET", "/health").json() == {"status": "ok"}
    assert api("GET", "/openapi.json").json()["openapi"] == "3.1.0"


def test_rotated_token_is_picked_up_after_the_ttl(
    s3: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = cold_import(
        monkeypatch,
        FILES_BUCKET=BUCKET,
        API_TOKENS_PARAMETER=TOKENS_PARAMETER,
        SECRETS_TTL_SECONDS="0",
    )
    api = Api(index)
    assert api("GET", "/v1/files").status == 200

    ssm.put_parameter(Name=TOKENS_PARAMETER, Value="rotated", Type="SecureString", Overwrite=True)

    assert api("GET", "/v1/files").status == 401
    api.token = "rotated"
    assert api("GET", "/v1/files").status == 200


class FakeSSM:
    """Counts fetches; answers from a dict (the TTL logic, without AWS)."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.calls = 0

    def get_parameter(self, Name: str, WithDecryption: bool) -> dict[str, Any]:
        assert WithDecryption
        self.calls += 1
        return {"Parameter": {"Value": self.values[Name]}}


def test_secrets_cache_for_the_ttl_then_refetch() -> None:
    fake, now = FakeSSM({"/p": "one"}), [1000.0]
    secrets = Secrets(300, ssm=fake, clock=lambda: now[0])  # type: ignore[arg-type]
    secret = Secret("API_TOKENS", parameter="/p")

    first = secrets.get(secret)
    fake.values["/p"] = "two"
    now[0] += 299
    cached = secrets.get(secret)
    now[0] += 2
    refreshed = secrets.get(secret)

    assert (first, cached, refreshed, fake.calls) == ("one", "one", "two", 2)


def test_secrets_plain_value_wins_and_costs_no_call() -> None:
    fake = FakeSSM({})
    secrets = Secrets(ssm=fake)  # type: ignore[arg-type]
    assert secrets.get(Secret("API_TOKENS", value="v", parameter="/p")) == "v"
    assert fake.calls == 0


def test_secrets_clear_forces_a_refetch() -> None:
    fake = FakeSSM({"/p": "one"})
    secrets = Secrets(ssm=fake)  # type: ignore[arg-type]
    secrets.get(Secret("X", parameter="/p"))
    secrets.clear()
    secrets.get(Secret("X", parameter="/p"))
    assert fake.calls == 2


def test_configuration_error_names_the_setting(ssm: Any) -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY_PARAMETER"):
        Secrets().get(Secret("OPENAI_API_KEY", parameter="/missing"))
