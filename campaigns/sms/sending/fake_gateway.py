"""A fake SMS gateway on 127.0.0.1 for tests and benchmarks.

It speaks the protocol of ``backends.http``, keeps every message it accepted, and logs every
request, so losses and duplicates can be counted afterwards. Faults can be injected: a share
of requests answered 500 (with or without having taken the batch), slow answers, and a
delivery-receipt webhook to the site. ``--max-failures-per-message`` makes outright failures
transient: a message refused that many times is taken on its next try, so a test of the retry
path does not, now and then, meet the ledger giving up (SMS_MAX_ATTEMPTS) instead.

Run it as a process:  python -m campaigns.sms.sending.fake_gateway --port 9099 --log gw.jsonl
"""

import argparse
import itertools
import json
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from campaigns.sms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


class GatewayState:
    def __init__(
        self,
        secret="",
        fail_rate=0.0,
        fail_after_accept_rate=0.0,
        delay=0.0,
        log_path=None,
        seed=None,
        max_failures_per_message=None,
    ):
        self.secret = secret
        self.fail_rate = fail_rate
        self.fail_after_accept_rate = fail_after_accept_rate
        self.max_failures_per_message = max_failures_per_message
        self.refusals = Counter()  # key -> times a batch holding it was answered 500 untaken
        self.delay = delay
        self.log_path = log_path
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.messages = {}  # key -> list of (message_id, to, text): >1 entry is a duplicate
        self.requests = 0
        self.ids = itertools.count(1)

    def log(self, entry):
        if self.log_path:
            with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def refuse(self, keys):
        """Count an injected outright failure against ``keys``; return False (take the batch
        after all) when one of them has already been refused its share."""
        with self.lock:
            limit = self.max_failures_per_message
            if limit is not None and any(self.refusals[k] >= limit for k in keys):
                return False
            self.refusals.update(keys)
            return True

    def stats(self):
        with self.lock:
            total = sum(len(v) for v in self.messages.values())
            duplicates = sum(len(v) - 1 for v in self.messages.values() if len(v) > 1)
            return {
                "keys": len(self.messages),
                "messages": total,
                "duplicates": duplicates,
                "requests": self.requests,
            }


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeGateway/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the JSON log is the record
        pass

    @property
    def state(self):
        return self.server.state

    def _reply(self, status, payload):
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/stats":
            return self._reply(200, self.state.stats())
        if self.path == "/messages":
            with self.state.lock:
                return self._reply(
                    200, {k: [list(m) for m in v] for k, v in self.state.messages.items()}
                )
        self._reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        state = self.state
        with state.lock:
            state.requests += 1
        if state.secret and not verify(
            body,
            self.headers.get(TIMESTAMP_HEADER),
            self.headers.get(SIGNATURE_HEADER),
            state.secret,
        ):
            state.log({"t": time.time(), "path": self.path, "outcome": "bad_signature"})
            return self._reply(401, {"error": "bad signature"})
        try:
            payload = json.loads(body)
        except ValueError:
            return self._reply(400, {"error": "bad json"})
        if self.path == "/v1/lookup":
            ids = payload.get("ids", [])
            with state.lock:
                found = [
                    {"id": k, "message_id": state.messages[k][0][0]}
                    for k in ids
                    if k in state.messages
                ]
            state.log({"t": time.time(), "path": self.path, "asked": len(ids), "found": len(found)})
            return self._reply(200, {"messages": found})
        if self.path != "/v1/messages":
            return self._reply(404, {"error": "not found"})
        if state.delay:
            time.sleep(state.delay)
        messages = payload.get("messages", [])
        roll = state.random.random()
        if roll < state.fail_rate and state.refuse([m["id"] for m in messages]):
            state.log({"t": time.time(), "path": self.path, "n": len(messages), "outcome": "500"})
            return self._reply(500, {"error": "injected failure"})
        results = []
        with state.lock:
            for m in messages:
                message_id = f"gw-{next(state.ids)}"
                state.messages.setdefault(m["id"], []).append((message_id, m["to"], m["text"]))
                results.append({"id": m["id"], "status": "accepted", "message_id": message_id})
        if state.fail_rate <= roll < state.fail_rate + state.fail_after_accept_rate:
            # The nasty case: the batch was taken, but the answer says it failed.
            state.log(
                {
                    "t": time.time(),
                    "path": self.path,
                    "n": len(messages),
                    "outcome": "500_after_accept",
                }
            )
            return self._reply(500, {"error": "injected failure after accept"})
        state.log(
            {
                "t": time.time(),
                "path": self.path,
                "n": len(messages),
                "outcome": "accepted",
                "keys": [m["id"] for m in messages],
            }
        )
        self._reply(200, {"results": results})


class FakeGateway:
    """Runs the fake gateway in a thread: ``with FakeGateway() as gw: gw.url``."""

    def __init__(self, port=0, **state_options):
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.server.state = GatewayState(**state_options)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def state(self):
        return self.server.state

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9099)
    parser.add_argument("--secret", default="")
    parser.add_argument("--log", default=None)
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--fail-after-accept-rate", type=float, default=0.0)
    parser.add_argument("--max-failures-per-message", type=int, default=None)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    gateway = FakeGateway(
        args.port,
        secret=args.secret,
        log_path=args.log,
        fail_rate=args.fail_rate,
        fail_after_accept_rate=args.fail_after_accept_rate,
        max_failures_per_message=args.max_failures_per_message,
        delay=args.delay,
    )
    print(f"fake gateway on {gateway.url}", flush=True)
    gateway.server.serve_forever()


if __name__ == "__main__":
    main()
