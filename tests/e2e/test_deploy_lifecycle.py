"""The deploy's life cycle on one project copy, in order: apply from clean, no-op redeploy, a
code edit, a dependency change, a large artifact through S3, secrets kept out of Terraform,
the IAM policy, and destroy followed by a re-apply. Each test builds on the one before."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.e2e.conftest import Project, copied_project

pytestmark = pytest.mark.integration

REGION = "us-east-1"
SECRET = "sk-e2e-known-secret-7f3a9c"
STATE_BUCKET = "files-api-local-tfstate"
# The only actions the function may have (the list).
ALLOWED_ACTIONS = {
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "ssm:GetParameter",
    "kms:Decrypt",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
}


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with copied_project(tmp_path_factory) as project:
        yield project


def _client(project: Project, service: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=project.aws_endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _terraform(
    project: Project, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Plain terraform in infra/, as a reviewer runs it: `eval "$(invoke local.env)"` first."""
    env = dict(project.env)
    for line in project.invoke("local.env").stdout.splitlines():
        command, _, assignment = line.partition(" ")
        name, _, value = assignment.partition("=")
        if command == "export":
            env[name] = value
        else:
            env.pop(name, None)
    return subprocess.run(
        ["terraform", *args],
        cwd=project.root / "infra",
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def _outputs(project: Project) -> dict[str, Any]:
    shown = _terraform(project, "output", "-json").stdout
    return {name: item["value"] for name, item in json.loads(shown).items()}


def _plan_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Plan: "))


def _layer_versions(project: Project) -> list[int]:
    lam = _client(project, "lambda")
    name = f"{_outputs(project)['function_name']}-deps"
    return [v["Version"] for v in lam.list_layer_versions(LayerName=name)["LayerVersions"]]


def test_apply_from_clean_then_redeploy_and_plain_plan_report_no_changes(
    lifecycle: Project,
) -> None:
    first = lifecycle.invoke("build", "deploy")
    assert "Apply complete!" in first.stdout

    second = lifecycle.invoke("build", "deploy")

    assert "No changes" in second.stdout, second.stdout
    assert "Apply complete!" not in second.stdout
    assert "providers): up to date, skipped" in second.stdout  # nothing init depends on changed
    # A reviewer's plain `terraform plan` sees the same inputs (build.auto.tfvars.json).
    plain = _terraform(lifecycle, "plan", "-detailed-exitcode", "-input=false", check=False)
    assert plain.returncode == 0, plain.stdout + plain.stderr


def test_iam_policy_grants_only_the_listed_actions_on_narrow_resources(lifecycle: Project) -> None:
    outputs = _outputs(lifecycle)
    iam = _client(lifecycle, "iam")
    account = _client(lifecycle, "sts").get_caller_identity()["Account"]
    role = outputs["function_name"]
    policy = iam.get_role_policy(RoleName=role, PolicyName=f"{role}-access")["PolicyDocument"]
    bucket_arn = f"arn:aws:s3:::{outputs['bucket_name']}"
    parameters = sorted(
        f"arn:aws:ssm:{REGION}:{account}:parameter{name}"
        for name in outputs["parameter_names"].values()
    )
    log_group = f"arn:aws:logs:{REGION}:{account}:log-group:{outputs['log_group_name']}:*"

    granted = {}
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = statement["Resource"]
        resources = sorted(resources if isinstance(resources, list) else [resources])
        for action in actions:
            granted[action] = resources
        if "kms:Decrypt" in actions:
            assert statement["Condition"] == {
                "StringEquals": {"kms:ViaService": f"ssm.{REGION}.amazonaws.com"}
            }

    assert set(granted) == ALLOWED_ACTIONS
    assert granted["s3:GetObject"] == granted["s3:PutObject"] == [f"{bucket_arn}/*"]
    assert granted["s3:DeleteObject"] == [f"{bucket_arn}/*"]
    assert granted["s3:ListBucket"] == [bucket_arn]
    assert granted["ssm:GetParameter"] == parameters
    assert granted["kms:Decrypt"] == [f"arn:aws:kms:{REGION}:{account}:key/*"]
    assert granted["logs:CreateLogStream"] == granted["logs:PutLogEvents"] == [log_group]
    trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": account}}


def test_editing_one_line_of_service_code_updates_only_the_function(lifecycle: Project) -> None:
    index = lifecycle.root / "service" / "index.py"
    index.write_text(index.read_text() + "# one more line\n")

    result = lifecycle.invoke("build", "deploy")

    assert _plan_line(result.stdout) == "Plan: 0 to create, 1 to update, 0 to replace, 0 to destroy"
    assert "  update   module.function.aws_lambda_function.this" in result.stdout
    assert "DANGER" not in result.stdout


def test_changing_a_dependency_publishes_exactly_one_new_layer_version(lifecycle: Project) -> None:
    before = _layer_versions(lifecycle)
    subprocess.run(
        ["uv", "add", "--no-sync", "six==1.17.0"],
        cwd=lifecycle.root,
        env=lifecycle.env,
        capture_output=True,
        check=True,
    )

    built = lifecycle.invoke("build", "deploy")

    # Terraform replaces the layer version: the new one is published, the old one deleted.
    published = [version for version in _layer_versions(lifecycle) if version > max(before)]
    assert published == [max(before) + 1]
    assert _plan_line(built.stdout) == "Plan: 0 to create, 1 to update, 1 to replace, 0 to destroy"
    assert "  replace  module.function.aws_lambda_layer_version.this" in built.stdout
    config = _client(lifecycle, "lambda").get_function_configuration(
        FunctionName=_outputs(lifecycle)["function_name"]
    )
    assert [layer["Arn"].rsplit(":", 1)[1] for layer in config["Layers"]] == [str(published[0])]
    with zipfile.ZipFile(lifecycle.root / "build" / "layer.zip") as layer:
        assert "python/six.py" in layer.namelist()


def test_an_artifact_marked_large_goes_through_an_s3_object(lifecycle: Project) -> None:
    manifest_path = lifecycle.root / "build" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["artifacts"]["code"]["large"] = True
    manifest_path.write_text(json.dumps(manifest))

    lifecycle.invoke("deploy")

    outputs = _outputs(lifecycle)
    key = outputs["artifact_keys"]["code"]
    s3 = _client(lifecycle, "s3")
    stored = s3.get_object(Bucket=outputs["artifacts_bucket_name"], Key=key)["Body"].read()
    assert stored == (lifecycle.root / "build" / "code.zip").read_bytes()
    config = _client(lifecycle, "lambda").get_function_configuration(
        FunctionName=outputs["function_name"]
    )
    assert config["CodeSha256"] == manifest["artifacts"]["code"]["sha256_base64"]
    assert "layer" not in outputs["artifact_keys"]


def test_a_secret_set_out_of_band_is_nowhere_in_state_plan_or_logs(lifecycle: Project) -> None:
    set_result = subprocess.run(
        [sys.executable, "-m", "invoke", "secrets.set", "openai-api-key"],
        cwd=lifecycle.root,
        env=lifecycle.env,
        input=SECRET + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    ssm = _client(lifecycle, "ssm")
    name = _outputs(lifecycle)["parameter_names"]["openai-api-key"]
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == SECRET

    reviewed = lifecycle.invoke("plan")
    plan_file = lifecycle.root / "build" / "secret-check.tfplan"
    _terraform(lifecycle, "plan", "-input=false", f"-out={plan_file}")
    shown = _terraform(lifecycle, "show", "-json", str(plan_file)).stdout

    assert "No changes" in reviewed.stdout  # no drift after an out-of-band rotation
    haystacks = {
        "invoke output": set_result.stdout + set_result.stderr + reviewed.stdout + reviewed.stderr,
        "plan JSON": shown,
        **_plan_file_members(plan_file),
        **_state_versions(lifecycle),
        **_files_under(lifecycle.root / "build", lifecycle.root / "infra"),
    }
    assert len(haystacks) > 5
    leaks = [where for where, text in haystacks.items() if SECRET in text]
    assert leaks == []


def test_destroy_removes_everything_and_a_reapply_succeeds(lifecycle: Project) -> None:
    outputs = _outputs(lifecycle)
    s3 = _client(lifecycle, "s3")
    s3.put_object(Bucket=outputs["bucket_name"], Key="kept/file.txt", Body=b"data")

    destroyed = lifecycle.invoke("destroy")

    assert "Apply complete!" in destroyed.stdout
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [STATE_BUCKET]
    assert _client(lifecycle, "lambda").list_functions()["Functions"] == []
    assert _client(lifecycle, "lambda").list_layers()["Layers"] == []
    assert _client(lifecycle, "apigatewayv2").get_apis()["Items"] == []
    assert _client(lifecycle, "ssm").describe_parameters()["Parameters"] == []
    assert _client(lifecycle, "iam").list_roles()["Roles"] == []
    groups = _client(lifecycle, "logs").describe_log_groups()["logGroups"]
    assert [g["logGroupName"] for g in groups] == []

    again = lifecycle.invoke("build", "deploy")

    assert "Apply complete!" in again.stdout
    assert _outputs(lifecycle)["function_name"] == outputs["function_name"]


def _plan_file_members(plan_file: Path) -> dict[str, str]:
    with zipfile.ZipFile(plan_file) as archive:
        return {
            f"plan file {name}": archive.read(name).decode(errors="replace")
            for name in archive.namelist()
        }


def _state_versions(project: Project) -> dict[str, str]:
    s3 = _client(project, "s3")
    found = {}
    for version in s3.list_object_versions(Bucket=STATE_BUCKET).get("Versions", []):
        body = s3.get_object(
            Bucket=STATE_BUCKET, Key=version["Key"], VersionId=version["VersionId"]
        )
        found[f"state {version['Key']}@{version['VersionId']}"] = body["Body"].read().decode()
    return found


def _files_under(*folders: Path) -> dict[str, str]:
    """The logs, plan texts, variable files and manifests under `folders`."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in (".log", ".txt", ".json", ".rc") and ".terraform" not in path.parts:
                found[str(path)] = path.read_bytes().decode(errors="replace")
    return found


STAGE = """
region = "us-east-1"

[build]
python = "3.12"
architecture = "host"

[terraform.backend]
bucket = "files-api-stage-tfstate"
key = "files-api/stage.tfstate"
use_path_style = "true"

[terraform.vars]
bucket_force_destroy = true
bucket_deny_insecure_transport = false
s3_use_path_style = true
"""


def test_an_aws_environment_is_bootstrapped_and_not_applied_without_yes(
    lifecycle: Project,
) -> None:
    deployed = _outputs(lifecycle)["function_name"]
    # An environment without [local], as for a real account; its "AWS" is the moto server.
    (lifecycle.root / "environments" / "stage.toml").write_text(STAGE)
    env = {
        **lifecycle.env,
        "AWS_ENDPOINT_URL": lifecycle.aws_endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }

    def invoke(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "invoke", *args, "--env", "stage"],
            cwd=lifecycle.root,
            env=env,
            stdin=subprocess.DEVNULL,  # not a terminal: no one to answer the question
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    bootstrapped = invoke("bootstrap")
    refused = invoke("deploy")

    assert bootstrapped.returncode == 0, bootstrapped.stderr
    s3 = _client(lifecycle, "s3")
    assert s3.get_bucket_versioning(Bucket="files-api-stage-tfstate")["Status"] == "Enabled"
    assert refused.returncode == 1
    assert _plan_line(refused.stdout).startswith("Plan: 17 to create, 0 to update")
    assert "pass --yes to apply it" in refused.stderr
    functions = _client(lifecycle, "lambda").list_functions()["Functions"]
    assert [f["FunctionName"] for f in functions] == [deployed]
    assert not (lifecycle.root / "build" / "stage.tfplan").exists()
