"""Real processes for the SMS services tests and benchmarks: the fake gateway, Celery
workers and beat, all bound to the current test database, Redis broker and Redis cache."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from website.celery import app as celery_app

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


class Cluster:
    """Start and stop the processes of one scenario; everything is stopped on exit."""

    def __init__(self, name, **sms_env):
        self.name = name
        self.procs = {}
        self.logs = []
        self.port = free_port()
        self.secret = "gateway-secret"
        self.var = ARTIFACTS / f"var-{name}"
        self.var.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "website.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "FANGFEI_VAR_DIR": str(self.var),
            "SMS_GATEWAY_URL": self.gateway_url,
            "SMS_GATEWAY_SECRET": self.secret,
            "SMS_GATEWAY_TIMEOUT": "5",
            "SMS_DISPATCH_SECONDS": "1",
            "SMS_SLOT_SECONDS": "3",
            "SMS_STALE_SECONDS": "8",
            "SMS_SETTLE_DELAY_SECONDS": "2",
            "SMS_TASK_SECONDS": "10",
            **{k: str(v) for k, v in sms_env.items()},
        }

    @property
    def gateway_url(self):
        return f"http://127.0.0.1:{self.port}"

    def _start(self, key, args):
        log = open(ARTIFACTS / f"{self.name}-{key}.log", "a")
        self.logs.append(log)
        self.procs[key] = subprocess.Popen(
            [sys.executable, *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self.procs[key]

    def start_gateway(self, *options):
        self._start(
            "gateway",
            [
                "-m",
                "campaigns.sms.sending.fake_gateway",
                "--port",
                str(self.port),
                "--secret",
                self.secret,
                "--log",
                str(ARTIFACTS / f"{self.name}-gateway.jsonl"),
                *options,
            ],
        )
        self._wait(lambda: self._stats_or_none() is not None, "fake gateway")

    def _stats_or_none(self):
        try:
            return self.stats()
        except OSError:
            return None

    def start_worker(self, key="worker"):
        node = f"{key}-{os.getpid()}"
        self._start(
            key,
            [
                "-m",
                "celery",
                "-A",
                "website",
                "worker",
                "--pool",
                "solo",
                "-l",
                "INFO",
                "-n",
                f"{node}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )

        def answers():
            replies = celery_app.control.ping(timeout=0.5) or []
            return any(name.startswith(node + "@") for reply in replies for name in reply)

        self._wait(answers, key)

    def start_beat(self):
        self._start(
            "beat",
            [
                "-m",
                "celery",
                "-A",
                "website",
                "beat",
                "-l",
                "INFO",
                "--schedule",
                str(self.var / "beat-schedule"),
            ],
        )

    def kill(self, key):
        proc = self.procs.pop(key)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def _wait(self, predicate, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for key, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{key} exited; see test-artifacts/{self.name}-{key}.log")
            if predicate():
                return
            time.sleep(0.2)
        raise TimeoutError(f"{what} not ready within {timeout} s")

    def stats(self):
        return get_json(self.gateway_url + "/stats")

    def messages(self):
        """Return {idempotency key: [[gateway id, to, text], …]} as the gateway holds them."""
        return get_json(self.gateway_url + "/messages")

    def __enter__(self):
        celery_app.control.purge()  # tasks left over by an earlier scenario
        return self

    def __exit__(self, *exc):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in self.logs:
            log.close()


def wait_for(predicate, timeout=60, interval=0.2):
    """Poll ``predicate`` until true; return whether it became true in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
