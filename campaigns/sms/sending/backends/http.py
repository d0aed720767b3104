"""A provider speaking JSON over HTTPS (and the fake gateway used by tests and benches).

    POST {url}/v1/messages  {"messages": [{"id": key, "to": "+86…", "text": "…"}]}
      → {"results": [{"id": key, "status": "accepted"|"rejected", "message_id": "…", "error": "…"}]}
    POST {url}/v1/lookup    {"ids": [key, …]}  → {"messages": [{"id": key, "message_id": "…"}]}

Requests carry ``Authorization: Bearer {key}`` and an HMAC signature (campaigns.sms.signing).
A timeout, a 5xx or a garbled answer is ambiguous (the gateway may have taken the batch):
those come back as Result.UNKNOWN, and the ledger settles them by lookup, never by resending.
"""

import json
import threading

import requests

from campaigns.sms.sending.base import BaseBackend, Result
from campaigns.sms.signing import sign


class HttpBackend(BaseBackend):
    def __init__(self, url, api_key="", secret="", batch_size=100, timeout=10.0, **options):
        super().__init__(**options)
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.secret = secret
        self.batch_size = int(batch_size)
        self.timeout = float(timeout)
        self._local = threading.local()

    @property
    def session(self):
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def _post(self, path, payload):
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", **sign(body, self.secret)}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return self.session.post(
            self.url + path, data=body, headers=headers, timeout=(3.0, self.timeout)
        )

    def send_batch(self, messages):
        payload = {"messages": [{"id": m.key, "to": m.to, "text": m.text} for m in messages]}
        try:
            response = self._post("/v1/messages", payload)
        except requests.ConnectionError as exc:
            # Refused before anything was sent is safe to retry; a reset mid-request is not.
            status = Result.RETRY if "refused" in str(exc).lower() else Result.UNKNOWN
            return [Result(m.key, status, error="connection") for m in messages]
        except requests.RequestException:
            return [Result(m.key, Result.UNKNOWN, error="timeout") for m in messages]
        if response.status_code == 429:
            return [Result(m.key, Result.RETRY, error="throttled") for m in messages]
        if response.status_code >= 500:
            return [
                Result(m.key, Result.UNKNOWN, error=f"http_{response.status_code}")
                for m in messages
            ]
        if response.status_code >= 400:
            return [
                Result(m.key, Result.REJECTED, error=f"http_{response.status_code}")
                for m in messages
            ]
        try:
            by_key = {r["id"]: r for r in response.json()["results"]}
        except (ValueError, KeyError, TypeError):
            return [Result(m.key, Result.UNKNOWN, error="bad_response") for m in messages]
        results = []
        for m in messages:
            r = by_key.get(m.key)
            if r is None:
                results.append(Result(m.key, Result.UNKNOWN, error="missing_in_response"))
            elif r.get("status") == "accepted":
                results.append(
                    Result(m.key, Result.ACCEPTED, gateway_id=str(r.get("message_id", "")))
                )
            else:
                results.append(
                    Result(m.key, Result.REJECTED, error=str(r.get("error") or "rejected")[:40])
                )
        return results

    def lookup(self, keys):
        keys = list(keys)
        found = {}
        for start in range(0, len(keys), 500):
            response = self._post("/v1/lookup", {"ids": keys[start : start + 500]})
            response.raise_for_status()
            for entry in response.json()["messages"]:
                found[entry["id"]] = str(entry["message_id"])
        return found
