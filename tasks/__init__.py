"""files-api tasks: `invoke --list` shows them; `invoke build deploy` ships the service."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke.collection import Collection

# Invoke puts tasks/ itself on sys.path, not the project: its packages sit beside this one.
# (So no module here may share a name with the standard library's: `secret`, not `secrets`.)
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from tasks import local, secret, ship

ns = Collection(
    ship.build,
    ship.deploy,
    ship.plan,
    ship.destroy,
    ship.outputs,
    ship.logs,
    ship.invoke_event,
    ship.bootstrap,
    secret.token,
    Collection("secrets", secret.secrets_set),
    Collection(
        "local",
        local.local_up,
        local.local_down,
        local.local_status,
        local.local_logs,
        local.local_cost,
        local.local_env,
    ),
)
