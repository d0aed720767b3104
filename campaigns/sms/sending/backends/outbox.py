"""Appends messages to a JSON-lines file per day that a person can read (the embedded
default: `make run` "sends" here). Lookups read the same files, so crash recovery works.
"""

import fcntl
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from campaigns.sms.sending.base import BaseBackend, Result


class OutboxBackend(BaseBackend):
    batch_size = 200

    @property
    def folder(self):
        folder = Path(self.options.get("folder") or settings.VAR_DIR / "sms-outbox")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def send_batch(self, messages):
        now = timezone.localtime()
        path = self.folder / f"{now:%Y-%m-%d}.jsonl"
        results, lines = [], []
        for message in messages:
            gateway_id = uuid.uuid4().hex
            lines.append(
                json.dumps(
                    {
                        "at": now.isoformat(timespec="seconds"),
                        "key": message.key,
                        "to": message.to,
                        "text": message.text,
                        "id": gateway_id,
                    },
                    ensure_ascii=False,
                )
            )
            results.append(Result(message.key, Result.ACCEPTED, gateway_id=gateway_id))
        with path.open("a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # workers in several processes append here
            f.write("\n".join(lines) + "\n")
        return results

    def lookup(self, keys):
        wanted, found = set(keys), {}
        for path in sorted(self.folder.glob("*.jsonl"))[-3:]:
            with path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue  # a line cut short by a crash
                    if entry.get("key") in wanted:
                        found[entry["key"]] = entry["id"]
        return found
