"""``manage.py load_demo``: fill a fresh site with believable demo content and staff accounts.

Creates the notice and case sections with a dozen risk notices and case studies (generated
poster images included), the 如何举报 and 关于我们 pages, the reporting settings, and the
accounts admin, bianji (编辑) and shenhe (审核员). Runs once: when the home page already
has a risk-notice section it says so and changes nothing.
"""

import logging
import time
import unicodedata
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Site

from website.core.fonts import find_cjk_font
from website.demo.builder import build_demo, create_staff_accounts
from website.pages.models import HomePage, RiskNoticeIndexPage

# Loggers that narrate every page save at INFO level; quiet unless -v 2 or more.
CHATTY_LOGGERS = ("wagtail", "jieba")


class _WarningsOnly(logging.Filter):
    def filter(self, record):
        return record.levelno >= logging.WARNING


@contextmanager
def quiet_loggers(names, enabled=True):
    """Drop records below WARNING from the ``names`` loggers while the block runs.

    A filter rather than a level, because jieba resets its logger's level when imported.
    """
    if not enabled:
        yield
        return
    loggers = [logging.getLogger(name) for name in names]
    quiet = _WarningsOnly()
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * max(width - _width(text), 0)


def format_table(header, rows):
    """Return ``rows`` under ``header`` as aligned text lines (CJK counts double width)."""
    widths = [max(_width(str(r[i])) for r in [header, *rows]) + 2 for i in range(len(header))]
    lines = ["".join(_pad(str(c), w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("".join("-" * (w - 2) + "  " for w in widths).rstrip())
    for row in rows:
        lines.append("".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)).rstrip())
    return lines


class Command(BaseCommand):
    help = _(
        "载入演示内容：风险提示、典型案例、举报页面、举报渠道设置和演示账号。只在首次运行时生效。"
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError(_("没有默认站点，请先运行 migrate。"))
        home = site.root_page.specific
        if not isinstance(home, HomePage):
            raise CommandError(_("默认站点的根页面不是首页（HomePage），无法载入演示内容。"))

        if home.get_children().type(RiskNoticeIndexPage).exists():
            self.stdout.write(_("演示内容已存在，未作任何更改。"))
            return

        written_files = []
        try:
            with quiet_loggers(CHATTY_LOGGERS, enabled=options["verbosity"] < 2):
                with transaction.atomic():
                    made = build_demo(home, site, written_files)
                    created, existing = create_staff_accounts()
        except BaseException:
            # The database rolled back; the poster files it pointed to must go too.
            storage = get_image_model()._meta.get_field("file").storage
            for name in written_files:
                storage.delete(name)
            raise

        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已载入演示内容：%(cases)d 个典型案例、%(notices)d 条风险提示"
                    "（其中 %(expired)d 条已过期）、%(images)d 张图片，共 %(pages)d 个页面。"
                )
                % made
            )
        )
        if find_cjk_font() is None:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "未找到中文字体，演示图片未绘制文字。安装 fonts-noto-cjk 或 fonts-wqy-microhei 后可重新生成。"
                    )
                )
            )
        for username in existing:
            self.stdout.write(_("账号 %(username)s 已存在，未作更改。") % {"username": username})
        if created:
            self.stdout.write("")
            self.stdout.write(_("已创建以下演示账号："))
            header = (_("用户名"), _("角色"), _("密码"))
            for line in format_table(header, created):
                self.stdout.write("  " + line)
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "密码只显示这一次，系统中只保存加密后的摘要，别处也没有记录。请立即妥善保存，并在首次登录后修改。"
                    )
                )
            )
        self.stdout.write(_("用时 %(seconds).1f 秒。") % {"seconds": time.monotonic() - started})
