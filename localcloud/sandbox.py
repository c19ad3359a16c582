"""One Lambda execution environment: the deployed zips laid out as Lambda does, and the real
runtime interface client running them in a process of its own."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

from localcloud.functions import FunctionSpec
from localcloud.runtime_api import Invocation, RuntimeApi


class InvocationFailed(Exception):
    """The environment gave no usable answer; `status` is what API Gateway would send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def extract(zip_path: Path, dest: Path) -> Path:
    """Unpack a zip into `dest` unless already there; `dest` should name the zip's content hash."""
    if not dest.is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(tmp)
        os.replace(tmp, dest)
    return dest


class Sandbox:
    """A warm-able environment: started once (the cold start), then invoked many times."""

    def __init__(
        self,
        spec: FunctionSpec,
        python: str,
        runtime_site: Path,
        layout: Path,
        aws_env: dict[str, str],
    ) -> None:
        self.spec = spec
        self.python = python
        self.runtime_site = runtime_site
        self.layout = layout
        self.aws_env = aws_env
        self.api = RuntimeApi(spec.arn)
        self.process: subprocess.Popen[bytes] | None = None
        # Per environment: /tmp and /opt (where Lambda unpacks layers). The code is shared.
        self.root = Path(tempfile.mkdtemp(prefix="files-api-env-"))
        self.tmp = self.root / "tmp"
        self.opt = self.root / "opt"
        self.invocations = 0

    def _environment(self, task_root: Path, opt: Path) -> dict[str, str]:
        spec = self.spec
        paths = [str(task_root), str(opt / "python"), str(self.runtime_site)]
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "TMPDIR": str(self.tmp),
            **spec.environment,
            **self.aws_env,
            "AWS_LAMBDA_RUNTIME_API": self.api.address,
            "LAMBDA_TASK_ROOT": str(task_root),
            "LAMBDA_RUNTIME_DIR": str(self.runtime_site),
            "_HANDLER": spec.handler,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex,
            "PYTHONPATH": os.pathsep.join(paths),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def start(self) -> None:
        """The cold start: lay out the code and layers, start the runtime client."""
        digest = hashlib.sha256(self.spec.code_zip.read_bytes()).hexdigest()[:16]
        task_root = extract(self.spec.code_zip, self.layout / f"code-{digest}")
        self.tmp.mkdir()
        self.opt.mkdir()
        for layer_zip in self.spec.layer_zips:  # later layers overwrite earlier ones, as on Lambda
            with zipfile.ZipFile(layer_zip) as archive:
                archive.extractall(self.opt)
        self.api.start()
        self.process = subprocess.Popen(
            [self.python, "-m", "awslambdaric", self.spec.handler],
            cwd=task_root,
            env=self._environment(task_root, self.opt),
            stdin=subprocess.DEVNULL,
        )

    def invoke(self, event: dict[str, Any], request_id: str) -> Any:
        """Hand `event` to the runtime; return the function's result or raise `InvocationFailed`."""
        assert self.process is not None, "start() first"
        self.invocations += 1
        deadline = time.time() + self.spec.timeout
        invocation = Invocation(request_id, json.dumps(event).encode(), deadline)
        self.api.submit(invocation)
        while not invocation.done.wait(0.05):
            if self.api.init_failed.is_set():
                raise InvocationFailed(502, f"init error: {self.api.init_error}")
            if self.process.poll() is not None:
                raise InvocationFailed(502, f"runtime exited with code {self.process.returncode}")
            if time.time() > deadline:
                raise InvocationFailed(503, f"task timed out after {self.spec.timeout} s")
        if invocation.error is not None:
            raise InvocationFailed(502, f"function error: {invocation.error.get('errorMessage')}")
        return json.loads(invocation.response or b"null")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.api.stop()
        shutil.rmtree(self.root, ignore_errors=True)
