"""`make run`: migrate, load demo content into an empty site, then serve web, worker and beat.

One command for a newcomer; Ctrl-C (or SIGTERM) stops every process it started. A worker
or beat that dies is restarted (with a line saying so); the web server stays up.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import sqlalchemy
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from website.pages.models import RiskNoticeIndexPage

PRUNE_SECONDS = 3600


def prune_delivered_messages(broker_url):
    """Delete the messages kombu's SQLAlchemy transport keeps after delivering them; return
    how many. Any other broker: 0."""
    if not broker_url.startswith("sqla+"):
        return 0
    engine = sqlalchemy.create_engine(broker_url.removeprefix("sqla+"))
    try:
        with engine.begin() as connection:
            deleted = connection.execute(
                sqlalchemy.text("DELETE FROM kombu_message WHERE visible = :no"), {"no": False}
            )
            return deleted.rowcount
    except sqlalchemy.exc.OperationalError:  # no table before the first worker starts
        return 0
    finally:
        engine.dispose()


class Restarts:
    """When to restart one child: soon after its first exit, then backing off (2 s, 4 s …
    up to a minute) while it keeps exiting, so a child that cannot start does not spin."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.failures = 0
        self.started = clock()
        self.restart_at = None

    def due(self):
        """Note an exit not yet seen; return the seconds until the restart, or None if
        this exit was already noted."""
        if self.restart_at is not None:
            return None
        now = self.clock()
        if now - self.started > 120:
            self.failures = 0  # it had been running well: this is a new trouble
        self.failures += 1
        delay = min(60, 2**self.failures)
        self.restart_at = now + delay
        return delay

    def ready(self):
        """Return True once the restart is due; the child then counts as started anew."""
        if self.restart_at is None or self.clock() < self.restart_at:
            return False
        self.restart_at = None
        self.started = self.clock()
        return True


class Command(BaseCommand):
    help = _("迁移数据库、载入演示内容，并同时启动网站、Celery worker 和 beat")

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("FANGFEI_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--no-demo", action="store_true", help=_("不载入演示内容"))

    def handle(self, *args, addr, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not RiskNoticeIndexPage.objects.exists():
            call_command("load_demo")
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "website",
                "worker",
                "-l",
                # The SMS dispatcher ticks every 2 s; at INFO its traffic would drown the rest.
                "WARNING",
                "--concurrency",
                "2",
                "-n",
                "fangfei-worker@%h",
            ],
            "beat": [python, "-m", "celery", "-A", "website", "beat", "-l", "WARNING"],
        }
        processes = {}
        restarts = {name: Restarts() for name in commands if name != "web"}
        # The embedded broker keeps every delivered message: a tick every 2 s is 40,000 a day.
        prune_delivered_messages(settings.CELERY_BROKER_URL)
        pruned_at = time.monotonic()
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, command in commands.items():
                processes[name] = subprocess.Popen(command, start_new_session=True)
            self.stdout.write(
                self.style.SUCCESS(
                    _("网站已启动：http://%(addr)s/ （管理后台 /admin/），按 Ctrl-C 全部停止。")
                    % {"addr": addr}
                )
            )
            if settings.SMS_BACKEND.endswith("OutboxBackend"):
                self.stdout.write(
                    _("短信不会真正发出，而是写入 %(folder)s 下的文件。")
                    % {"folder": settings.VAR_DIR / "sms-outbox"}
                )
            self.stdout.flush()
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is None or stopping:
                        continue
                    if name == "web":
                        # Without the web server there is no site to keep up.
                        self._say(
                            _("%(name)s 已退出（代码 %(code)s），正在停止其余进程。")
                            % {"name": name, "code": proc.returncode}
                        )
                        stopping = True
                        continue
                    # A worker or beat that dies (a broker hiccup, a crash in the embedded
                    # transport) is restarted, so the site keeps sending and scheduling.
                    delay = restarts[name].due()
                    if delay is not None:
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(proc.pid, signal.SIGKILL)  # pool children left behind
                        self._say(
                            _("%(name)s 已退出（代码 %(code)s），%(delay)s 秒后重启。")
                            % {"name": name, "code": proc.returncode, "delay": delay}
                        )
                    elif restarts[name].ready():
                        processes[name] = subprocess.Popen(commands[name], start_new_session=True)
                        self._say(_("%(name)s 已重启。") % {"name": name})
                if time.monotonic() - pruned_at > PRUNE_SECONDS:
                    prune_delivered_messages(settings.CELERY_BROKER_URL)
                    pruned_at = time.monotonic()
                time.sleep(0.5)
        finally:
            self._stop_all(processes)

    def _say(self, line):
        self.stderr.write(line)
        self.stderr.flush()

    def _stop_all(self, processes):
        # SIGTERM to each main process only: Celery then shuts its own pool down cleanly.
        for proc in processes.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for proc in processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.stdout.write(_("已全部停止。"))
