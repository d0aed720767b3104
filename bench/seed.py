"""Add listing volume to the bench database: ``python -m bench.seed [--notices N]``.

Runs inside the project with whatever settings the environment names (the bench passes the
production settings and the bench database). ``load_demo`` writes a handful of realistic pages;
an index page with a handful of items hides any query that grows with the number of items, so
this adds N published risk notices (default 200) under the notices index, with audiences, tags
and a region like real ones. Pages are created as live children of the index (valid tree paths,
URL paths and search index entries) without revisions, which a listing never reads and which
would make seeding ten times slower.

When the demo content has no notices index or case index yet, minimal ones are created, so the
bench still has something to measure; the summary line says so.
"""

import argparse
import datetime
import json
import os
import random
import sys

import django

SLUG_PREFIX = "bench-"
PRETEXTS = ["投资理财", "养老服务", "股权众筹", "虚拟货币", "私募基金", "消费返利", "原始股"]
LEVELS = ["notice", "warning", "severe"]


def _body(pretext, n):
    from wagtail.rich_text import RichText

    return [
        ("heading", f"以“{pretext}”为名的集资，第 {n} 类常见说法"),
        (
            "paragraph",
            RichText(
                f"<p>近期有人以{pretext}为名，承诺保本高息、按月返利，并以介绍他人加入"
                "给予奖励。凡是承诺高额回报、要求先交钱的项目，请先到正规渠道核实。</p>"
            ),
        ),
        (
            "warning_signs",
            {
                "heading": "识别要点",
                "signs": ["承诺保本保息、收益远高于银行", "拉人头给奖励", "资金转入个人账户"],
            },
        ),
    ]


def _ensure_sections(home):
    """Return (notice_index, case_index, created) under ``home``, creating missing ones."""
    from website.pages.models import CaseStudyIndexPage, RiskNoticeIndexPage

    created = []
    notice_index = RiskNoticeIndexPage.objects.child_of(home).first()
    if notice_index is None:
        notice_index = home.add_child(
            instance=RiskNoticeIndexPage(title="风险提示", slug="notices", intro="")
        )
        created.append("notices index")
    case_index = CaseStudyIndexPage.objects.child_of(home).first()
    if case_index is None:
        case_index = home.add_child(
            instance=CaseStudyIndexPage(title="典型案例", slug="cases", intro="")
        )
        created.append("cases index")
    return notice_index, case_index, created


def _tags():
    from taggit.models import Tag

    existing = list(Tag.objects.all()[:20])
    if existing:
        return existing
    return [Tag.objects.get_or_create(name=name)[0] for name in PRETEXTS]


def seed(notice_count, rng):
    from django.db import transaction
    from django.utils import timezone
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from website.core.cache import bump_content_version
    from website.pages.models import CaseStudyPage, RiskNoticePage
    from website.taxonomy.models import Audience, Region

    home = Site.objects.get(is_default_site=True).root_page.specific
    notice_index, case_index, created = _ensure_sections(home)
    audiences = list(Audience.objects.all())
    regions = list(Region.objects.filter(level__lte=Region.Level.COUNTY)[:30]) or [None]
    tags = _tags()
    # The demo's posters, so listing cards carry images and renditions as real ones do.
    images = list(get_image_model().objects.all()[:50]) or [None]
    now = timezone.now()
    today = timezone.localdate()

    def topic_fields(i):
        pretext = PRETEXTS[i % len(PRETEXTS)]
        published = now - datetime.timedelta(days=7 + i)
        return pretext, {
            "summary": f"警惕以{pretext}为幌子的非法集资：高息承诺、拉人头返利都是危险信号。",
            "region": rng.choice(regions),
            "listing_image": rng.choice(images),
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": published,
            "last_published_at": published,
        }

    def classify(page):
        # Held in memory by modelcluster and written when add_child saves the page.
        page.audiences.set(rng.sample(audiences, k=min(len(audiences), rng.randint(1, 2))))
        page.tags.set(rng.sample(tags, k=min(len(tags), rng.randint(1, 3))))

    with transaction.atomic():
        start = RiskNoticePage.objects.child_of(notice_index).count()
        for i in range(notice_count):
            pretext, fields = topic_fields(i)
            page = RiskNoticePage(
                title=f"风险提示：警惕“{pretext}”骗局（{start + i + 1:03d}）",
                slug=f"{SLUG_PREFIX}notice-{start + i + 1:03d}",
                level=LEVELS[i % len(LEVELS)],
                issued_on=today - datetime.timedelta(days=7 + i),
                valid_until=None,
                body=_body(pretext, i + 1),
                **fields,
            )
            classify(page)
            notice_index.add_child(instance=page)

        if not CaseStudyPage.objects.child_of(case_index).live().exists():
            for i in range(6):
                pretext, fields = topic_fields(i)
                page = CaseStudyPage(
                    title=f"典型案例：以“{pretext}”为名非法吸收公众存款案（{i + 1}）",
                    slug=f"{SLUG_PREFIX}case-{i + 1:03d}",
                    case_date=today - datetime.timedelta(days=30 + i),
                    body=_body(pretext, i + 1),
                    outcome="主要犯罪嫌疑人已被依法追究刑事责任，追赃挽损工作正在进行。",
                    **fields,
                )
                classify(page)
                case_index.add_child(instance=page)
            created.append("6 case studies")
    bump_content_version()
    return {
        "notices_added": notice_count,
        "notices_under_index": RiskNoticePage.objects.child_of(notice_index).live().count(),
        "created": created,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--seed", type=int, default=515)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")
    django.setup()
    summary = seed(args.notices, random.Random(args.seed))
    sys.stdout.write("BENCH-JSON " + json.dumps(summary, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
