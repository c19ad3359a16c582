from __future__ import annotations

import json
from typing import Any

import pytest

from shipper import review

# A plan's prior state holds the data sources it read, deployed stack or not.
_DATA = {"address": "data.aws_caller_identity.current", "mode": "data"}
FIRST_DEPLOY = {"prior_state": {"values": {"root_module": {"resources": [_DATA]}}}}
DEPLOYED = {
    "prior_state": {
        "values": {
            "root_module": {
                "resources": [_DATA],
                "child_modules": [
                    {
                        "resources": [
                            {"address": "module.bucket.aws_s3_bucket.this", "mode": "managed"}
                        ]
                    }
                ],
            }
        }
    }
}
BUCKET_ARN = "arn:aws:s3:::files"


def _change(
    address: str, actions: list[str], before: Any = None, after: Any = None
) -> dict[str, Any]:
    kind = address.split(".")[-2]
    return {
        "address": address,
        "type": kind,
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}},
    }


def _policy(*statements: tuple[list[str], list[str]]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": actions, "Resource": resources}
                for actions, resources in statements
            ],
        }
    )


def test_review_groups_changes_by_kind() -> None:
    plan = {
        "resource_changes": [
            _change("module.function.aws_lambda_function.this", ["update"]),
            _change("module.function.aws_lambda_layer_version.this", ["delete", "create"]),
            _change("module.http_api.aws_apigatewayv2_stage.default", ["no-op"]),
            _change("module.parameters.aws_ssm_parameter.this", ["create"]),
            _change("module.http_api.aws_lambda_permission.api", ["delete"]),
        ]
    }

    result = review.review(plan)

    assert result.changes == {
        "create": ["module.parameters.aws_ssm_parameter.this"],
        "update": ["module.function.aws_lambda_function.this"],
        "replace": ["module.function.aws_lambda_layer_version.this"],
        "destroy": ["module.http_api.aws_lambda_permission.api"],
    }
    assert result.dangers == []
    assert review.describe(result).splitlines()[0] == (
        "Plan: 1 to create, 1 to update, 1 to replace, 1 to destroy"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            _change("module.bucket.aws_s3_bucket.this", ["delete"]),
            "module.bucket.aws_s3_bucket.this: destroys part of the files bucket",
            id="bucket-destroyed",
        ),
        pytest.param(
            _change("module.bucket.aws_s3_bucket.this", ["create", "delete"]),
            "module.bucket.aws_s3_bucket.this: replaces part of the files bucket",
            id="bucket-replaced",
        ),
        pytest.param(
            _change(
                "module.bucket.aws_s3_bucket_versioning.this",
                ["update"],
                {"versioning_configuration": [{"status": "Enabled"}]},
                {"versioning_configuration": [{"status": "Suspended"}]},
            ),
            "module.bucket.aws_s3_bucket_versioning.this: turns versioning off",
            id="versioning-suspended",
        ),
        pytest.param(
            _change(
                "module.bucket.aws_s3_bucket.this",
                ["update"],
                {"force_destroy": False},
                {"force_destroy": True},
            ),
            "module.bucket.aws_s3_bucket.this: allows destroying the bucket while it holds files",
            id="force-destroy-allowed",
        ),
        pytest.param(
            _change(
                "module.function.aws_iam_role_policy.lambda",
                ["update"],
                {"policy": _policy((["s3:GetObject"], [f"{BUCKET_ARN}/*"]))},
                {
                    "policy": _policy(
                        (["s3:GetObject", "s3:DeleteBucket"], [f"{BUCKET_ARN}/*", "*"])
                    )
                },
            ),
            "module.function.aws_iam_role_policy.lambda: IAM widening, newly allows "
            "s3:DeleteBucket on *, s3:DeleteBucket on arn:aws:s3:::files/*, s3:GetObject on *",
            id="iam-widened",
        ),
    ],
)
def test_review_flags_dangerous_changes(change: dict[str, Any], expected: str) -> None:
    result = review.review({**DEPLOYED, "resource_changes": [change]})

    assert len(result.dangers) == 1
    assert result.dangers[0].startswith(expected)
    assert f"  DANGER   {result.dangers[0]}" in review.describe(result)


def test_review_does_not_flag_narrowing_or_first_deploy_or_artifacts_bucket() -> None:
    narrowed = _change(
        "module.function.aws_iam_role_policy.lambda",
        ["update"],
        {"policy": _policy((["s3:GetObject", "s3:PutObject"], [f"{BUCKET_ARN}/*"]))},
        {"policy": _policy((["s3:GetObject"], [f"{BUCKET_ARN}/*"]))},
    )
    created = _change(
        "module.function.aws_iam_role_policy.lambda",
        ["create"],
        None,
        {"policy": _policy((["s3:GetObject"], [f"{BUCKET_ARN}/*"]))},
    )
    artifacts = _change("module.artifacts_bucket[0].aws_s3_bucket.this", ["delete"])

    bucket = _change("module.bucket.aws_s3_bucket.this", ["create"], None, {"force_destroy": True})
    first_deploy = review.review({**FIRST_DEPLOY, "resource_changes": [created, bucket]})
    later = review.review({**DEPLOYED, "resource_changes": [narrowed, artifacts]})

    assert first_deploy.dangers == []
    assert later.dangers == []


def test_review_flags_a_new_policy_on_a_deployed_stack_and_unknown_policies() -> None:
    created = _change(
        "module.function.aws_iam_role_policy.extra",
        ["create"],
        None,
        {"policy": _policy((["ssm:GetParameter"], ["*"]))},
    )
    unknown = _change(
        "module.function.aws_iam_role_policy.lambda", ["update"], {"policy": "{}"}, {}
    )
    unknown["change"]["after_unknown"] = {"policy": True}

    result = review.review({**DEPLOYED, "resource_changes": [created, unknown]})

    assert result.dangers == [
        "module.function.aws_iam_role_policy.extra: IAM widening, newly allows "
        "ssm:GetParameter on *",
        "module.function.aws_iam_role_policy.lambda: IAM policy known only at apply; "
        "review it by hand",
    ]


def test_grants_reads_single_and_listed_actions_and_skips_denies() -> None:
    policy = json.dumps(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:1"},
                {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
            ]
        }
    )

    assert review.grants(policy) == {("null", "s3:GetObject", "arn:1", "null")}
    assert review.grants(None) == set()
