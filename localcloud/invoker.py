"""Invoking one deployed function locally, as the Lambda service does: an environment from its
pool (cold-started when none is warm), START / the function's output / END / REPORT in its log."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import boto3

from localcloud import aws, logs, pythons, reports
from localcloud.functions import FunctionSpec
from localcloud.logs import LogSink
from localcloud.pool import Pool
from localcloud.sandbox import InvocationFailed, Sandbox
from shipper import layer
from shipper.environments import host_architecture


class LocalFunction:
    """A function's environments and log; `invoke` is Lambda's synchronous Invoke."""

    def __init__(self, spec: FunctionSpec, pool: Pool, sink: LogSink) -> None:
        self.spec = spec
        self.pool = pool
        self.sink = sink

    def invoke(self, payload: bytes, request_id: str, respond: Callable[[bytes], None]) -> None:
        """Run the function on `payload`: `respond` gets its answer as soon as the runtime gives
        it, and the END and REPORT lines follow, as on Lambda. Raises `Throttled` or
        `InvocationFailed` (with `respond` not called)."""
        sandbox, cold = self.pool.acquire()
        # Held until this invocation's lines are written, so the next one's START comes after.
        with sandbox.lock:
            self._run(sandbox, cold, payload, request_id, respond)

    def _run(
        self,
        sandbox: Sandbox,
        cold: bool,
        payload: bytes,
        request_id: str,
        respond: Callable[[bytes], None],
    ) -> None:
        init_ms: float | None = None
        failure: InvocationFailed | None = None
        released = False
        duration = 0.0
        began = time.monotonic()
        try:
            if cold:
                init_ms = sandbox.start()
            self.sink.write(sandbox.stream, reports.start_line(request_id))
            began = time.monotonic()
            response, duration = sandbox.invoke(payload, request_id)
            # Free for the next request as soon as the runtime has answered (it waits on the
            # lock for these lines); then the caller is answered, and this invocation accounted.
            self.pool.release(sandbox, healthy=True)
            released = True
            respond(response)
        except InvocationFailed as exc:
            failure = exc
            duration = (time.monotonic() - began) * 1000
            if exc.report_status == "timeout":
                duration = self.spec.timeout * 1000.0
            raise
        finally:
            if sandbox.process is not None:  # else it failed before the runtime started
                if cold and init_ms is None:  # the init failed: Lambda says so before its START
                    status = (failure.report_status if failure else None) or "error"
                    error_type = failure.error_type if failure else None
                    self.sink.write(
                        sandbox.stream,
                        reports.init_report_line(sandbox.init_ms or 0.0, status, error_type),
                        reports.start_line(request_id),
                    )
                sandbox.drain()
                self._report(sandbox, request_id, duration, init_ms if cold else None, failure)
            if not released:
                self.pool.release(sandbox, healthy=failure is not None and not failure.recycle)

    def _report(
        self,
        sandbox: Sandbox,
        request_id: str,
        duration: float,
        init_ms: float | None,
        failure: InvocationFailed | None,
    ) -> None:
        report = reports.Report(
            request_id=request_id,
            duration_ms=duration,
            billed_ms=reports.billed_ms(duration, init_ms),
            memory_size_mb=self.spec.memory_size,
            # A runtime is killed past its memory, so Lambda never reports more.
            max_memory_used_mb=min(sandbox.max_memory_used_mb(), self.spec.memory_size),
            init_ms=init_ms,
            status=failure.report_status if failure else None,
            error_type=failure.error_type if failure else None,
        )
        self.sink.write(sandbox.stream, reports.end_line(request_id), report.line())

    def close(self) -> None:
        self.pool.close()


def open_function(
    spec: FunctionSpec,
    *,
    root: Path,
    state_dir: Path,
    endpoint: str,
    region: str,
    concurrency: int,
    idle_seconds: float,
) -> LocalFunction:
    """A deployed function, ready to cold-start: its runtime found, its log group connected."""
    if spec.architecture != host_architecture():
        raise pythons.RuntimeUnavailable(
            f"{spec.name} is deployed for {spec.architecture}, and this machine runs "
            f"{host_architecture()}: build and deploy the local environment for the host "
            '(architecture = "host" in environments/local.toml)'
        )
    python = pythons.find_python(spec.python_version)
    # The same wheels the layer was built from: the runtime's glibc decides the tag.
    platform = layer.Target(spec.python_version, spec.architecture).uv_platform
    site = pythons.runtime_packages(root, spec.python_version, platform, state_dir / "runtime")
    aws_env = {k: v for k, v in aws.client_environment(endpoint, region).items() if v}
    cloudwatch = boto3.Session(region_name=region).client("logs", endpoint_url=endpoint)
    sink = logs.LogSink(cloudwatch, logs.log_group(spec.name))

    def new_sandbox() -> Sandbox:
        return Sandbox(spec, python, site, state_dir / "code", aws_env, sink)

    limit = spec.reserved_concurrency
    pool = Pool(new_sandbox, concurrency if limit is None else limit, idle_seconds)
    return LocalFunction(spec, pool, sink)
