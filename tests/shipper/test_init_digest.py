"""When `terraform init` may be skipped: `init_digest` changes with everything init depends on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shipper.terraform import init_digest

BACKEND = {"bucket": "state", "region": "us-east-1"}


@pytest.fixture
def infra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "modules" / "bucket").mkdir(parents=True)
    (tmp_path / "main.tf").write_text('module "bucket" { source = "./modules/bucket" }\n')
    (tmp_path / "modules" / "bucket" / "main.tf").write_text("# a bucket\n")
    (tmp_path / ".terraform.lock.hcl").write_text('provider "aws" { version = "5.100.0" }\n')
    providers = tmp_path / ".terraform" / "providers" / "registry.terraform.io" / "hashicorp"
    (providers / "aws" / "5.100.0" / "linux_amd64").mkdir(parents=True)
    (tmp_path / ".terraform" / "terraform.tfstate").write_text('{"backend": {"type": "s3"}}\n')
    cli_config = tmp_path / "terraform.rc"
    cli_config.write_text('provider_installation { filesystem_mirror { path = "/a" } }\n')
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(cli_config))
    return tmp_path


def test_the_same_directory_and_backend_give_the_same_digest(infra: Path) -> None:
    assert init_digest(infra, BACKEND) == init_digest(infra, dict(BACKEND))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda infra: (infra / "modules" / "bucket" / "main.tf").write_text("#"), id="module"
        ),
        pytest.param(lambda infra: (infra / ".terraform.lock.hcl").write_text(""), id="lock-file"),
        pytest.param(lambda infra: (infra / "terraform.rc").write_text(""), id="provider-mirror"),
        pytest.param(
            lambda infra: (infra / ".terraform" / "terraform.tfstate").unlink(), id="backend-state"
        ),
        pytest.param(
            lambda infra: (
                infra
                / ".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"
            ).rmdir(),
            id="installed-provider",
        ),
    ],
)
def test_anything_init_depends_on_changes_the_digest(
    infra: Path, change: Callable[[Path], object]
) -> None:
    before = init_digest(infra, BACKEND)

    change(infra)

    assert init_digest(infra, BACKEND) != before


def test_another_backend_changes_the_digest(infra: Path) -> None:
    assert init_digest(infra, BACKEND) != init_digest(infra, {**BACKEND, "bucket": "other"})
