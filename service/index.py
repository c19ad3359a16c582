"""The Lambda entry point: `index.handler`.

This is the only module that does work at import time: that work is the cold
start, and everything created here (settings, AWS clients) is reused by every
warm invocation of the same execution environment.
"""

from __future__ import annotations

from files_api.app import create_app
from mangum import Mangum

app = create_app()

# lifespan="off": Mangum would otherwise run startup/shutdown on every invocation.
handler = Mangum(app, lifespan="off")
