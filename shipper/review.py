"""What a plan changes, and which changes deserve a second look before apply.

Reads the JSON of `terraform show -json PLAN`. Dangerous: anything that replaces or
destroys the files bucket or its settings (the data goes, or is exposed), versioning
turned off, and IAM policies that grant more than before.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

KINDS = ("create", "update", "replace", "destroy")
# The files bucket and everything that protects its data; the artifacts bucket holds
# only rebuildable zips.
DATA_MODULE = "module.bucket."
IAM_POLICY_ATTRIBUTES = {
    "aws_iam_role_policy": "policy",
    "aws_iam_policy": "policy",
    "aws_iam_role": "assume_role_policy",
    "aws_s3_bucket_policy": "policy",
}

Grant = tuple[str, str, str, str]


@dataclass
class Review:
    """Resource addresses by kind of change, and the reasons to be careful."""

    changes: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    dangers: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())


def _kind(actions: list[str]) -> str | None:
    if "create" in actions and "delete" in actions:
        return "replace"
    if actions == ["delete"]:
        return "destroy"
    if actions in (["create"], ["update"]):
        return actions[0]
    return None  # no-op or read


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(policy: str | None) -> set[Grant]:
    """What a policy document allows: (principal, action, resource, condition) tuples."""
    if not policy:
        return set()
    found: set[Grant] = set()
    for statement in _listed(json.loads(policy).get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        principal = json.dumps(statement.get("Principal"), sort_keys=True)
        condition = json.dumps(statement.get("Condition"), sort_keys=True)
        for action in _listed(statement.get("Action", statement.get("NotAction", []))):
            for resource in _listed(statement.get("Resource", statement.get("NotResource", "*"))):
                found.add((principal, str(action), str(resource), condition))
    return found


def _iam_widening(change: dict[str, Any], deployed: bool) -> str | None:
    attribute = IAM_POLICY_ATTRIBUTES.get(change["type"])
    kind = _kind(change["change"]["actions"])
    if attribute is None or kind in (None, "destroy") or (kind == "create" and not deployed):
        return None
    after = change["change"].get("after") or {}
    if (change["change"].get("after_unknown") or {}).get(attribute):
        return f"{change['address']}: IAM policy known only at apply; review it by hand"
    before = change["change"].get("before") or {}
    added = grants(after.get(attribute)) - grants(before.get(attribute))
    if not added:
        return None
    shown = ", ".join(sorted(f"{action} on {resource}" for _, action, resource, _ in added))
    return f"{change['address']}: IAM widening, newly allows {shown}"


def _data_danger(change: dict[str, Any], kind: str) -> str | None:
    address = change["address"]
    if not address.startswith(DATA_MODULE):
        return None
    if kind in ("replace", "destroy"):
        verb = "replaces" if kind == "replace" else "destroys"
        return f"{address}: {verb} part of the files bucket (its data or its protection)"
    after = change["change"].get("after") or {}
    statuses = [c.get("status") for c in after.get("versioning_configuration", [])]
    if change["type"] == "aws_s3_bucket_versioning" and "Enabled" not in statuses:
        return f"{address}: turns versioning off, so overwrites and deletes can't be undone"
    before = change["change"].get("before") or {}
    if after.get("force_destroy") and not before.get("force_destroy"):
        return f"{address}: allows destroying the bucket while it holds files"
    return None


def _manages_resources(module: dict[str, Any]) -> bool:
    """Whether a state module (or one below it) holds managed resources, not just data sources."""
    if any(r.get("mode") == "managed" for r in module.get("resources", [])):
        return True
    return any(_manages_resources(child) for child in module.get("child_modules", []))


def review(shown: dict[str, Any]) -> Review:
    """Group a plan's resource changes and flag the dangerous ones.

    On a first deploy nothing exists to widen or lose, so only changes to a deployed stack
    are flagged (a plan's prior state holds the data sources it read even then).
    """
    result = Review()
    root = shown.get("prior_state", {}).get("values", {}).get("root_module", {})
    deployed = _manages_resources(root)
    for change in shown.get("resource_changes", []):
        kind = _kind(change["change"]["actions"])
        if kind is None:
            continue
        result.changes[kind].append(change["address"])
        data_danger = _data_danger(change, kind) if deployed else None
        for danger in (data_danger, _iam_widening(change, deployed)):
            if danger is not None:
                result.dangers.append(danger)
    return result


def describe(result: Review) -> str:
    """The review as text: counts, one line per change, then every danger."""
    counts = Counter({kind: len(items) for kind, items in result.changes.items()})
    head = ", ".join(f"{counts[kind]} to {kind}" for kind in KINDS)
    lines = [f"  {kind:8} {address}" for kind, items in result.changes.items() for address in items]
    dangers = [f"  DANGER   {danger}" for danger in result.dangers]
    return "\n".join([f"Plan: {head}", *lines, *dangers])
