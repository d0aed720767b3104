"""`make run` (manage.py run_site): web, worker and beat start together on the embedded
default, and one Ctrl-C stops every one of them."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings


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


def test_run_site_starts_web_worker_and_beat_and_ctrl_c_stops_all(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_", "REDIS_", "SMS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.dev",
        FANGFEI_VAR_DIR=str(tmp_path / "var"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "run_site", "--addr", f"127.0.0.1:{port}", "--no-demo"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and status != 200:
            assert proc.poll() is None, proc.stdout.read().decode()
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        running = " | ".join(commands(descendants(proc.pid)))
        assert "runserver" in running
        assert "celery -A website worker" in running
        assert "celery -A website beat" in running
        children = descendants(proc.pid)

        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in children):
            time.sleep(0.2)
        left = [p for p in children if Path(f"/proc/{p}").exists()]
        assert left == [], commands(left)
    finally:
        if proc.poll() is None:
            proc.kill()
