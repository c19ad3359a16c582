"""One Lambda execution environment: the deployed zips laid out as Lambda does, and the real
runtime interface client running them in a process of its own."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from localcloud import logs, processes
from localcloud.functions import FunctionSpec
from localcloud.logs import LogSink
from localcloud.runtime_api import Invocation, RuntimeApi

# Lambda's synchronous invocation payload limit, request and response alike (6 MB).
MAX_PAYLOAD = 6 * 1024 * 1024
# Lambda gives the init phase 10 s; past that it retries the init within the invocation, under
# the function's timeout. Locally the init simply gets both.
INIT_TIMEOUT = 10.0
POLL_SECONDS = 0.05
# What the REPORT line says of a runtime that exited, and of one killed for its memory.
EXIT_ERROR = "Runtime.ExitError"
OUT_OF_MEMORY = "Runtime.OutOfMemory"
# The runtime's output pipe holds this much (Linux's default cap for unprivileged processes):
# during an invocation it is read when the answer comes or every POLL_SECONDS, not as each line
# is written, which would wake the invoking thread once a line.
PIPE_BYTES = 1 << 20


class InvocationFailed(Exception):
    """The environment gave no usable answer; `status` is what API Gateway would send.

    `recycle` says the environment is no longer usable (crash, timeout, failed init);
    `report_status` and `error_type` are what the REPORT line says about it.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        recycle: bool,
        report_status: str | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.recycle = recycle
        self.report_status = report_status
        self.error_type = error_type


def extract(zip_paths: Sequence[Path], dest: Path) -> Path:
    """Unpack zips into `dest` (later ones overwriting earlier ones, as Lambda layers do) unless
    already there; `dest` should name the zips' content hash, so it is never stale."""
    if not dest.is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
        for zip_path in zip_paths:
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(tmp)
        try:
            os.replace(tmp, dest)
        except OSError:  # another environment's cold start unpacked it first
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Sandbox:
    """A warm-able environment: started once (the cold start), then invoked many times."""

    def __init__(
        self,
        spec: FunctionSpec,
        python: str,
        runtime_site: Path,
        layout: Path,
        aws_env: dict[str, str],
        sink: LogSink,
    ) -> None:
        self.spec = spec
        self.python = python
        self.runtime_site = runtime_site
        self.layout = layout
        self.aws_env = aws_env
        self.sink = sink
        self.stream = logs.new_stream_name()
        self.api = RuntimeApi(spec.arn)
        self.process: subprocess.Popen[bytes] | None = None
        self._partial = b""
        # Per environment: /tmp. The code and the layers (/opt) are read-only, so shared.
        self.root = Path(tempfile.mkdtemp(prefix="files-api-env-"))
        self.tmp = self.root / "tmp"
        self.invocations = 0
        # Held by the invocation in hand until its lines are out, and by `stop`.
        self.lock = threading.RLock()
        self.init_ms: float | None = None
        self._peak_mb = 0
        self._status_fd: int | None = None

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
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": logs.log_group(spec.name),
            "AWS_LAMBDA_LOG_STREAM_NAME": self.stream,
            "PYTHONPATH": os.pathsep.join(paths),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def start(self) -> float:
        """The cold start: lay out the code and layers, start the runtime client, wait until it
        has imported the handler. Returns the init duration in ms."""
        spec = self.spec
        task_root = extract([spec.code_zip], self.layout / f"code-{_digest([spec.code_zip])}")
        # /opt is read-only on Lambda, so environments can share one unpacked copy.
        opt = extract(spec.layer_zips, self.layout / f"opt-{_digest(spec.layer_zips)}")
        self.tmp.mkdir()
        began = time.monotonic()  # Lambda's Init Duration: the runtime's start and the import
        self.process = subprocess.Popen(
            [self.python, "-m", "awslambdaric", self.spec.handler],
            cwd=task_root,
            env=self._environment(task_root, opt),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: what it starts goes with it
        )
        assert self.process.stdout is not None
        with contextlib.suppress(OSError):
            fcntl.fcntl(self.process.stdout, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        try:
            self._wait_for_init()
        except InvocationFailed:
            self.init_ms = (time.monotonic() - began) * 1000  # for its INIT_REPORT line
            raise
        assert self.api.ready is not None
        self.init_ms = (self.api.ready - began) * 1000
        return self.init_ms

    def _wait_for_init(self) -> None:
        """Until the runtime asks for its first event; raise if its init fails."""
        limit = INIT_TIMEOUT + self.spec.timeout
        ready = self._wait(
            lambda: self.api.ready is not None or self.api.init_error is not None,
            time.monotonic() + limit,
            watch_output=True,  # a runtime that dies before it connects: its pipe tells at once
        )
        self.drain()  # the init's output comes before the first START
        if self.api.init_error is not None:
            error = self.api.init_error
            raise InvocationFailed(
                502,
                f"init error: {error.get('errorType')}: {error.get('errorMessage')}",
                recycle=True,
                report_status="error",
                error_type=str(error.get("errorType") or "Runtime.Unknown"),
            )
        if not ready:
            raise InvocationFailed(
                502, f"init did not finish in {limit:.0f} s", recycle=True, report_status="timeout"
            )
        self._check_memory()

    def invoke(self, payload: bytes, request_id: str) -> tuple[bytes, float]:
        """Hand `payload` to the runtime; return its answer and the duration in ms, or raise
        `InvocationFailed`."""
        self.invocations += 1
        deadline = time.time() + self.spec.timeout
        invocation = Invocation(request_id, payload, deadline)
        self.api.submit(invocation)
        try:
            # The answer counts only if the runtime stayed within its memory while making it.
            answered = self._wait(invocation.done, time.monotonic() + self.spec.timeout)
            if answered:
                self._check_memory()
        except InvocationFailed as exc:
            if exc.error_type in (EXIT_ERROR, OUT_OF_MEMORY):  # as Lambda logs a runtime's exit
                self.sink.write(self.stream, f"RequestId: {request_id} Error: {exc}", EXIT_ERROR)
            raise
        if not answered:
            self.drain()
            self.sink.write(
                self.stream,
                f"{_now()} {request_id} Task timed out after {self.spec.timeout:.2f} seconds",
            )
            raise InvocationFailed(
                503,
                f"task timed out after {self.spec.timeout} s",
                recycle=True,
                report_status="timeout",
            )
        assert invocation.received is not None and invocation.finished is not None
        duration = (invocation.finished - invocation.received) * 1000
        if invocation.error is not None:
            raise InvocationFailed(
                500, f"function error: {invocation.error.get('errorMessage')}", recycle=False
            )
        response = invocation.response or b"null"
        if len(response) > MAX_PAYLOAD:
            raise InvocationFailed(
                502,
                f"response payload size ({len(response)} bytes) exceeded the maximum allowed "
                f"payload size ({MAX_PAYLOAD} bytes)",
                recycle=False,
            )
        return response, duration

    def _wait(self, done: Callable[[], bool], until: float, watch_output: bool = False) -> bool:
        """Serve the Runtime API and relay the runtime's output until `done()`; False at `until`;
        raise if the runtime exits. The output is relayed as it comes if `watch_output`, else in
        the pauses (a runtime that exits closes its connection, which ends a pause too)."""
        assert self.process is not None and self.process.stdout is not None
        output = self.process.stdout.fileno()
        while not done():
            left = until - time.monotonic()
            if left <= 0:
                return False
            if self.api.serve(min(left, POLL_SECONDS), [output] if watch_output else []):
                self._relay(os.read(output, 65536))
            elif not watch_output and not done():
                self.drain()
            if not done():
                if self.process.poll() is not None:
                    raise self._exited(EXIT_ERROR)
                self._check_memory()
        return True

    def _check_memory(self) -> None:
        """Kill the runtime if its memory has gone past the function's, as Lambda's limit does."""
        assert self.process is not None
        if self.max_memory_used_mb() > self.spec.memory_size:
            self._signal_group(signal.SIGKILL)
            self.process.wait()
            raise self._exited(OUT_OF_MEMORY)

    def _signal_group(self, signum: int) -> None:
        """Signal the runtime and every process it started, as Lambda ends a whole sandbox."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def _exited(self, error_type: str) -> InvocationFailed:
        """The failure of a runtime that has exited, once its last output is relayed. What it
        started goes too: a child still holding its output pipe would otherwise keep it open."""
        assert self.process is not None
        self._signal_group(signal.SIGKILL)
        self.drain()
        if self._partial:
            self._relay(b"\n")
        code = self.process.returncode
        how = f"exit status {code}" if code >= 0 else f"signal: {_signal_name(-code)}"
        return InvocationFailed(
            502,
            f"Runtime exited with error: {how}",
            recycle=True,
            report_status="error",
            error_type=error_type,
        )

    def drain(self) -> None:
        """Relay what the runtime has written: all it wrote before it answered, since it writes
        unbuffered."""
        assert self.process is not None and self.process.stdout is not None
        output = self.process.stdout.fileno()
        while select.select([output], [], [], 0)[0]:
            chunk = os.read(output, 65536)
            if not chunk:
                break
            self._relay(chunk)

    def _relay(self, chunk: bytes) -> None:
        *lines, self._partial = (self._partial + chunk).split(b"\n")
        self.sink.write(self.stream, *(line.decode("utf-8", errors="replace") for line in lines))

    def max_memory_used_mb(self) -> int:
        """The runtime process's peak resident memory, as Lambda's Max Memory Used (the last
        reading if the process is gone)."""
        with contextlib.suppress(OSError, ValueError):
            # A file kept open and read again: a fresh open of /proc costs ~6x as much.
            if self._status_fd is None and self.process is not None:
                self._status_fd = os.open(f"/proc/{self.process.pid}/status", os.O_RDONLY)
            if self._status_fd is not None:
                kilobytes = processes.status_kb(os.pread(self._status_fd, 8192, 0), "VmHWM")
                self._peak_mb = max(1, round(kilobytes / 1024))
        return self._peak_mb

    def stop(self) -> None:
        with self.lock:
            self._stop()

    def _stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self._signal_group(signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(5)
            # The runtime if it outlived SIGTERM, and whatever it started and left behind.
            self._signal_group(signal.SIGKILL)
            self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
        self.api.stop()
        if self._status_fd is not None:
            os.close(self._status_fd)
        shutil.rmtree(self.root, ignore_errors=True)


def _signal_name(number: int) -> str:
    """A signal as Lambda names it in "Runtime exited with error: signal: killed"."""
    with contextlib.suppress(ValueError):
        return (signal.strsignal(number) or str(number)).lower()
    return str(number)


def _now() -> str:
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        + f".{int(time.time() * 1000) % 1000:03d}Z"
    )
