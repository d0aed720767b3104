"""Prints each message with a masked number: for watching a local run."""

import sys
import uuid

from campaigns.phone import mask
from campaigns.sms.sending.base import BaseBackend, Result


class ConsoleBackend(BaseBackend):
    def send_batch(self, messages):
        out = self.options.get("stream", sys.stdout)
        results = []
        for message in messages:
            out.write(f"[SMS {message.key}] {mask(message.to)}: {message.text}\n")
            results.append(Result(message.key, Result.ACCEPTED, gateway_id=uuid.uuid4().hex))
        out.flush()
        return results

    def lookup(self, keys):
        return {}  # nothing is kept: a stuck row is re-sent to the console
