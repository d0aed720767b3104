"""`make run` (manage.py run_site): web, worker and beat start together on the embedded
default, a worker or beat that dies is restarted while the site stays up, and one Ctrl-C
stops every one of them."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from kombu import Connection

from tests.services.harness import wait_for
from website.demo.management.commands.run_site import Restarts, prune_delivered_messages


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid):
    """Return the pids of every process descended from ``pid`` (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def commands(pids):
    result = []
    for pid in pids:
        try:
            result.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            pass
    return result


class RunSite:
    """``manage.py run_site`` on a fresh embedded default in ``tmp_path``; its output is
    collected line by line in ``lines``."""

    def __init__(self, tmp_path):
        self.port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_", "REDIS_", "SMS_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="website.settings.dev",
            FANGFEI_VAR_DIR=str(tmp_path / "var"),
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            PYTHONUNBUFFERED="1",
        )
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "run_site", "--addr", f"127.0.0.1:{self.port}", "--no-demo"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.decode(errors="replace"))

    def output(self):
        return "".join(self.lines)

    def home_status(self):
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5).status
        except OSError:
            return None

    def wait_until_serving(self):
        # Generous: migrating a fresh SQLite file on a busy machine can take minutes.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            if self.home_status() == 200:
                return
            time.sleep(0.5)
        raise AssertionError(f"the site did not answer: {self.output()}")

    def child(self, what):
        """Return the pid of the direct child whose command line contains ``what``."""
        for pid in descendants(self.proc.pid):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid and any(
                what in c for c in commands([pid])
            ):
                return pid
        return None

    def ctrl_c_stops_everything(self):
        children = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert self.proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in children):
            time.sleep(0.2)
        left = [p for p in children if Path(f"/proc/{p}").exists()]
        assert left == [], commands(left)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()


def test_run_site_starts_web_worker_and_beat_and_ctrl_c_stops_all(tmp_path):
    site = RunSite(tmp_path)
    try:
        site.wait_until_serving()
        running = " | ".join(commands(descendants(site.proc.pid)))
        assert "runserver" in running
        assert "celery -A website worker" in running
        assert "celery -A website beat" in running
        site.ctrl_c_stops_everything()
    finally:
        site.kill()


def test_a_dead_worker_or_beat_is_restarted_and_the_site_stays_up(tmp_path):
    site = RunSite(tmp_path)
    try:
        site.wait_until_serving()
        for what, name in (
            ("celery -A website worker", "worker"),
            ("celery -A website beat", "beat"),
        ):
            dead = site.child(what)
            assert dead is not None
            os.kill(dead, signal.SIGKILL)
            assert wait_for(lambda w=what, d=dead: site.child(w) not in (None, d), timeout=90), (
                site.output()
            )
            assert f"{name} 已退出" in site.output() and f"{name} 已重启" in site.output()
            assert site.home_status() == 200
        assert site.proc.poll() is None
        site.ctrl_c_stops_everything()
    finally:
        site.kill()


def test_restarts_back_off_while_a_child_keeps_exiting():
    now = [0.0]
    restarts = Restarts(clock=lambda: now[0])
    delays = []
    for _ in range(8):
        now[0] += 1  # it dies a second after each start
        delays.append(restarts.due())
        assert restarts.due() is None  # the same exit is noted once
        assert not restarts.ready()
        now[0] += delays[-1]
        assert restarts.ready()
    assert delays == [2, 4, 8, 16, 32, 60, 60, 60]
    now[0] += 600  # then it runs well for ten minutes and dies once
    assert restarts.due() == 2


def test_delivered_messages_of_the_embedded_broker_are_pruned_and_waiting_ones_kept(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'celery.sqlite3'}"
    with Connection(url) as connection:
        queue = connection.SimpleQueue("pruned")
        for n in range(3):
            queue.put({"n": n})
        for _ in range(2):
            queue.get(timeout=5).ack()
        assert prune_delivered_messages(url) == 2
        assert queue.get(timeout=5).payload == {"n": 2}
        queue.close()
    assert prune_delivered_messages(f"sqla+sqlite:///{tmp_path / 'none.sqlite3'}") == 0
    assert prune_delivered_messages("redis://127.0.0.1:1/0") == 0
