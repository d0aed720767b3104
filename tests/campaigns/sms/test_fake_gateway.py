"""The fake gateway's fault injection: what the pipeline tests rely on it to do."""

import json
import urllib.error
import urllib.request

from campaigns.sms.sending.fake_gateway import FakeGateway


def post(url, keys):
    body = json.dumps({"messages": [{"id": k, "to": "+8613900000000", "text": "t"} for k in keys]})
    request = urllib.request.Request(
        f"{url}/v1/messages", body.encode(), {"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_outright_failures_stop_at_the_per_message_limit():
    with FakeGateway(fail_rate=1.0, max_failures_per_message=2) as gateway:
        assert [post(gateway.url, ["d1", "d2"]) for _ in range(2)] == [500, 500]
        assert gateway.state.stats()["messages"] == 0
        # d1 has had its two refusals: a batch holding it is taken, d3 with it.
        assert post(gateway.url, ["d1", "d3"]) == 200
        assert set(gateway.state.messages) == {"d1", "d3"}
        # d2 has had its share too; d4 has not, yet travels with d2.
        assert post(gateway.url, ["d2", "d4"]) == 200
        assert post(gateway.url, ["d5"]) == 500


def test_without_a_limit_a_gateway_can_refuse_for_ever():
    with FakeGateway(fail_rate=1.0) as gateway:
        assert [post(gateway.url, ["d1"]) for _ in range(6)] == [500] * 6
        assert gateway.state.stats() == {
            "keys": 0,
            "messages": 0,
            "duplicates": 0,
            "requests": 6,
        }
