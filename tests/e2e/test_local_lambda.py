"""The local Lambda's lifecycle, limits and logs, against the purpose-built lab functions."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from localcloud import processes, reports
from tests.e2e import labcloud
from tests.e2e.labcloud import LabCloud

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabCloud]:
    work = tmp_path_factory.mktemp("lab")
    try:
        yield labcloud.start(work)
    finally:
        for pid_file in labcloud.pid_files(work):
            processes.stop(pid_file)


def test_warm_invocations_reuse_the_environment(lab: LabCloud) -> None:
    first = lab.request("GET", "/lab/count").json()
    second = lab.request("GET", "/lab/count").json()

    assert second["pid"] == first["pid"]
    assert second["invocations"] == first["invocations"] + 1
    assert second["cold_start"] is False
    assert second["layer"] == "labdep from the layer"
    assert second["memory"] == "256"
    assert 0 < second["remaining_ms"] <= labcloud.TIMEOUT * 1000


def test_parallel_requests_past_reserved_concurrency_are_throttled(lab: LabCloud) -> None:
    with ThreadPoolExecutor(5) as pool:
        responses = list(pool.map(lambda _: lab.request("GET", "/pair/sleep/1"), range(5)))

    statuses = sorted(r.status for r in responses)
    assert statuses == [200, 200, 429, 429, 429]
    throttled = next(r for r in responses if r.status == 429)
    assert throttled.json() == {"message": "Too Many Requests"}


def test_timeout_gives_503_and_a_fresh_environment(lab: LabCloud) -> None:
    before = lab.request("GET", "/lab/count").json()

    slow = lab.request("GET", "/lab/sleep/10")
    after = lab.request("GET", "/lab/count").json()

    assert slow.status == 503
    assert slow.json() == {"message": "Service Unavailable"}
    assert labcloud.TIMEOUT <= slow.seconds < labcloud.TIMEOUT + 3
    assert after["pid"] != before["pid"]
    assert (after["invocations"], after["cold_start"]) == (1, True)


def test_killed_runtime_fails_its_request_and_is_replaced(lab: LabCloud) -> None:
    before = lab.request("GET", "/lab/count").json()

    crashed = lab.request("GET", "/lab/crash")
    after = lab.request("GET", "/lab/count").json()

    assert crashed.status == 502
    assert crashed.seconds < 5
    assert after["pid"] != before["pid"]
    assert after["cold_start"] is True


def test_a_crash_ends_what_the_runtime_started_and_does_not_wait_for_it(lab: LabCloud) -> None:
    crashed = lab.request("GET", "/lab/orphan")
    request_id = crashed.headers["apigw-requestid"]

    lines = lab.log_lines("lab", f"REPORT RequestId: {request_id}")

    assert crashed.status == 502
    assert crashed.seconds < 5  # not the 60 s of the child that held the runtime's output
    child = next(int(line.split()[-1]) for line in lines if line.startswith("lab: child "))
    assert not _running(child)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its reaper."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_crash_is_logged_as_lambda_logs_a_runtime_exit(lab: LabCloud) -> None:
    crashed = lab.request("GET", "/lab/crash")
    request_id = crashed.headers["apigw-requestid"]

    lines = lab.log_lines("lab", f"REPORT RequestId: {request_id}")

    failed = lines.index(
        f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"
    )
    assert lines[failed + 1 : failed + 3] == ["Runtime.ExitError", reports.end_line(request_id)]
    report = reports.Report.parse(lines[failed + 3])
    assert report is not None
    assert (report.status, report.error_type) == ("error", "Runtime.ExitError")


def test_memory_past_the_function_s_kills_the_runtime(lab: LabCloud) -> None:
    within = lab.request("GET", "/lab/hold/64").json()  # the lab function has 256 MB

    over = lab.request("GET", "/lab/hold/300")
    after = lab.request("GET", "/lab/count").json()

    assert over.status == 502
    assert over.json() == {"message": "Internal Server Error"}
    assert after["pid"] != within["pid"]
    assert after["cold_start"] is True
    request_id = over.headers["apigw-requestid"]
    lines = lab.log_lines("lab", f"REPORT RequestId: {request_id}")
    assert f"RequestId: {request_id} Error: Runtime exited with error: signal: killed" in lines
    report = next(r for r in map(reports.Report.parse, lines) if r and r.request_id == request_id)
    assert (report.status, report.error_type) == ("error", "Runtime.OutOfMemory")
    assert report.max_memory_used_mb == report.memory_size_mb == 256


def test_idle_environment_is_shut_down(lab: LabCloud) -> None:
    before = lab.request("GET", "/lab/count").json()

    time.sleep(labcloud.IDLE_SECONDS + 2)
    after = lab.request("GET", "/lab/count").json()

    assert after["pid"] != before["pid"]
    assert after["cold_start"] is True


def test_init_error_gives_502_and_the_runtime_error_in_the_logs(lab: LabCloud) -> None:
    response = lab.request("GET", "/broken/x")

    assert response.status == 502
    request_id = response.headers["apigw-requestid"]
    lines = lab.log_lines("lab-broken", f"REPORT RequestId: {request_id}")
    assert any(line.startswith("[ERROR] Runtime.ImportModuleError") for line in lines), lines
    started = lines.index(reports.start_line(request_id))
    init_report = re.fullmatch(r"INIT_REPORT Init Duration: ([0-9.]+) ms\t(.*)", lines[started - 1])
    assert init_report is not None, lines
    assert float(init_report[1]) > 0
    assert init_report[2] == "Phase: init\tStatus: error\tError Type: Runtime.ImportModuleError"
    report = reports.Report.parse(lines[started + 2])
    assert report is not None
    assert (report.status, report.error_type) == ("error", "Runtime.ImportModuleError")


@pytest.mark.parametrize(
    ("action", "status"),
    [
        pytest.param("raise", 500, id="unhandled-exception"),
        pytest.param("malformed", 500, id="malformed-response"),
        pytest.param("big", 502, id="response-over-6MB"),
    ],
)
def test_function_failures_answer_as_api_gateway(lab: LabCloud, action: str, status: int) -> None:
    response = lab.request("GET", f"/lab/{action}")

    assert response.status == status
    assert response.json() == {"message": "Internal Server Error"}


def test_request_over_6mb_gets_413(lab: LabCloud) -> None:
    response = lab.request("PUT", "/lab/echo", body=b"\x00" * (7 * 1024 * 1024))

    assert response.status == 413
    assert response.json() == {"message": "Request Entity Too Large"}


def test_unmatched_route_gets_404_from_the_gateway(lab: LabCloud) -> None:
    response = lab.request("GET", "/nowhere")

    assert response.status == 404
    assert response.json() == {"message": "Not Found"}


def test_binary_body_round_trips_byte_exact(lab: LabCloud) -> None:
    body = bytes(range(256)) * 4
    response = lab.request(
        "POST", "/lab/echo", body=body, headers={"Content-Type": "application/octet-stream"}
    )

    assert response.status == 201
    assert response.body == body
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers.get_all("set-cookie") == ["echo=1; Path=/"]


def test_unicode_path_reaches_the_function_decoded(lab: LabCloud) -> None:
    response = lab.request("GET", "/lab/count/%C3%A9t%C3%A9%20%F0%9F%8C%9E/x%2By?q=1")

    assert response.json()["raw_path"] == "/lab/count/été 🌞/x+y"
    assert response.json()["route_key"] == "ANY /lab/{proxy+}"


def test_report_lines_reach_the_local_log_group(lab: LabCloud) -> None:
    response = lab.request("GET", "/lab/count")
    request_id = response.headers["apigw-requestid"]

    lines = lab.log_lines("lab", f"REPORT RequestId: {request_id}")

    start = lines.index(reports.start_line(request_id))
    end = lines.index(reports.end_line(request_id))
    assert any(line.startswith("lab: count") for line in lines[start:end])
    report = reports.Report.parse(lines[end + 1])
    assert report is not None
    assert report.request_id == request_id
    assert report.memory_size_mb == 256
    assert 0 < report.max_memory_used_mb < 256
    assert report.billed_ms >= report.duration_ms
    cold = [r for r in map(reports.Report.parse, lines) if r is not None and r.init_ms is not None]
    assert cold, "a cold start's REPORT has an Init Duration"


def test_an_invocation_is_reported_before_the_next_one_starts(lab: LabCloud) -> None:
    first, second = (lab.request("GET", "/lab/count") for _ in range(2))
    first_id, second_id = (r.headers["apigw-requestid"] for r in (first, second))

    lines = lab.log_lines("lab", f"REPORT RequestId: {second_id}")

    assert first.json()["pid"] == second.json()["pid"]  # one environment, one log stream
    reported = next(
        i for i, line in enumerate(lines) if line.startswith(f"REPORT RequestId: {first_id}")
    )
    assert reported < lines.index(reports.start_line(second_id))


def test_echo_of_text_body_keeps_unicode(lab: LabCloud) -> None:
    text = "héllo wörld ✓".encode()
    response = lab.request(
        "PUT", "/lab/echo", body=text, headers={"Content-Type": "text/plain; charset=utf-8"}
    )

    assert response.body == text
    assert base64.b64encode(response.body) == base64.b64encode(text)


def test_chunked_request_body_reaches_the_function(lab: LabCloud) -> None:
    head = b"PUT /lab/echo HTTP/1.1\r\nContent-Type: text/plain\r\nConnection: close\r\n"
    chunks = b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"

    answer = lab.exchange(head + b"Transfer-Encoding: chunked\r\n\r\n" + chunks)

    assert answer.startswith(b"HTTP/1.1 201 Created\r\n")
    assert answer.endswith(b"\r\n\r\nabcdefg")


def test_malformed_request_gets_400_and_the_connection_closed(lab: LabCloud) -> None:
    answer = lab.exchange(b"GET /lab/count HTTP/1.1\r\nContent-Length: nope\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert answer.endswith(b'\r\n\r\n{"message":"Bad Request"}')


def test_request_over_the_http_api_limit_is_refused_unread(lab: LabCloud) -> None:
    head = b"PUT /lab/echo HTTP/1.1\r\nContent-Length: 20000000\r\n\r\n"

    answer = lab.exchange(head)  # no body sent: the gateway must not wait for it

    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")


def test_head_gets_the_headers_of_get_and_no_body(lab: LabCloud) -> None:
    head = lab.exchange(b"HEAD /lab/count HTTP/1.1\r\nConnection: close\r\n\r\n")

    status, _, rest = head.partition(b"\r\n")
    assert status == b"HTTP/1.1 200 OK"
    assert rest.endswith(b"\r\n\r\n")  # the head only...
    assert re.search(rb"\r\nContent-Length: [1-9][0-9]*\r\n", rest)  # ...of GET's answer


def test_head_keeps_the_length_a_function_declares_for_an_empty_body(lab: LabCloud) -> None:
    head = lab.exchange(b"HEAD /lab/sized/1234 HTTP/1.1\r\nConnection: close\r\n\r\n")
    get = lab.exchange(b"GET /lab/sized/1234 HTTP/1.1\r\nConnection: close\r\n\r\n")

    assert b"\r\nContent-Length: 1234\r\n" in head
    assert head.endswith(b"\r\n\r\n")
    assert b"\r\nContent-Length: 0\r\n" in get  # a GET's length is that of what is sent


def test_expect_continue_past_lambda_s_payload_limit_is_refused_before_the_body(
    lab: LabCloud,
) -> None:
    head = b"PUT /lab/echo HTTP/1.1\r\nContent-Length: 6291457\r\nExpect: 100-continue\r\n\r\n"

    answer = lab.exchange(head)  # no body sent: the gateway must not ask for it

    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert b"100 Continue" not in answer


def test_access_log_lines_follow_the_stage_s_format(lab: LabCloud) -> None:
    served = lab.request("GET", "/lab/count", headers={"User-Agent": 'lab "quoted" agent'})
    missing = lab.request("GET", "/nowhere")
    ids = [r.headers["apigw-requestid"] for r in (served, missing)]

    lines = lab.group_lines(labcloud.ACCESS_LOG_GROUP, ids[1])

    logged = {entry["requestId"]: entry for entry in map(json.loads, lines)}
    assert logged[ids[0]]["routeKey"] == "ANY /lab/{proxy+}"
    assert logged[ids[0]]["status"] == "200"
    assert logged[ids[0]]["responseLength"] == str(len(served.body))
    assert float(logged[ids[0]]["latency"]) >= 0
    assert (logged[ids[0]]["error"], logged[ids[0]]["agent"]) == ("-", 'lab "quoted" agent')
    assert logged[ids[1]]["status"] == "404"
    assert (logged[ids[1]]["routeKey"], logged[ids[1]]["latency"]) == ("-", "-")
    assert logged[ids[1]]["error"] == "Not Found"
