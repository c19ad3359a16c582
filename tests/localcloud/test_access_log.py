from __future__ import annotations

import json

from localcloud import access_log


def test_render_fills_context_variables_and_dashes_the_unknown() -> None:
    line_format = '$context.requestId $context.status "$context.error.message" $context.nope'

    line = access_log.render(line_format, {"requestId": "r-1", "status": "404"})

    assert line == 'r-1 404 "-" -'


def test_render_keeps_a_json_format_json_whatever_the_values() -> None:
    line_format = json.dumps({"agent": "$context.identity.userAgent", "path": "$context.path"})
    agent = 'curl "8" \\ \n tab\t'

    line = access_log.render(line_format, {"identity.userAgent": agent, "path": "/é"})

    assert json.loads(line) == {"agent": agent, "path": "/é"}


def test_a_longer_variable_name_is_not_cut_at_a_shorter_one() -> None:
    line = access_log.render(
        "$context.integration.status/$context.integrationStatus",
        {"integration.status": "200", "integrationStatus": "201"},
    )

    assert line == "200/201"
