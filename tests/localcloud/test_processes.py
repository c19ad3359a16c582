from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from localcloud import aws, processes


def test_start_refuses_a_port_another_process_holds(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        with pytest.raises(processes.StartError, match=f"port {port} on 127.0.0.1 is in use"):
            processes.start(
                [sys.executable, "-c", "import time; time.sleep(60)"],
                tmp_path / "x.pid",
                tmp_path / "x.log",
                port,
            )

    assert not (tmp_path / "x.pid").exists()  # nothing was started


def test_ensure_running_refuses_a_local_aws_this_checkout_did_not_start(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        with pytest.raises(processes.StartError, match="FILES_API_AWS_PORT"):
            aws.ensure_running(tmp_path, port)
