"""`make run`: migrate, load demo content into an empty site, then serve web, worker and beat.

One command for a newcomer; Ctrl-C (or SIGTERM) stops every process it started.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from website.pages.models import RiskNoticeIndexPage


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
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        self.stderr.write(
                            _("%(name)s 已退出（代码 %(code)s），正在停止其余进程。")
                            % {"name": name, "code": proc.returncode}
                        )
                        stopping = True
                time.sleep(0.5)
        finally:
            self._stop_all(processes)

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
