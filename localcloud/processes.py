"""Background processes with pid files: started once, found again, stopped by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


class StartError(Exception):
    """A background process did not come up."""


def read_pid(pid_file: Path) -> int | None:
    """The PID in `pid_file` if that process is still alive, else None (and the file goes)."""
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        pid_file.unlink(missing_ok=True)
        return None
    return pid


def children(pid: int) -> list[tuple[int, int]]:
    """The live child processes of `pid` (Linux's /proc) with their resident memory in MB."""
    found = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in listing.read_text().split()]
    alive = []
    for child in sorted(set(found)):
        with contextlib.suppress(OSError, ValueError):
            rss_kb = status_kb(Path(f"/proc/{child}/status").read_bytes(), "VmRSS")
            alive.append((child, round(rss_kb / 1024)))
    return alive


def status_kb(status: bytes, field: str) -> int:
    """A value in kB of a /proc/<pid>/status text (VmRSS, VmHWM, ...); ValueError if absent."""
    start = status.index(f"{field}:".encode()) + len(field) + 1
    return int(status[start : status.index(b"kB", start)])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def port_taken(port: int) -> str:
    return (
        f"port {port} on 127.0.0.1 is in use by a process this checkout did not start "
        "(another checkout's local cloud?). Stop it (`invoke local.down` there), or give this "
        "checkout other ports: FILES_API_AWS_PORT and FILES_API_GATEWAY_PORT."
    )


def start(
    command: list[str],
    pid_file: Path,
    log_file: Path,
    port: int,
    *,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start `command` in its own session, wait until it listens on `port`; return its PID."""
    if port_open(port):
        # Waiting for the port would mistake the other process for ours.
        raise StartError(port_taken(port))
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )
    pid_file.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(pid_file)
            tail = log_file.read_text(errors="replace")[-2000:]
            raise StartError(f"{command[0]} did not start listening on port {port}:\n{tail}")
        time.sleep(0.1)
    return process.pid


def stop(pid_file: Path, timeout: float = 10.0) -> bool:
    """Stop the process group led by the PID in `pid_file`; True if something was running."""
    pid = read_pid(pid_file)
    if pid is None:
        return False
    # The process leads its own session: its group holds every child it started.
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    _signal_group(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        waited = 0  # not our child: probe it instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return waited == 0
