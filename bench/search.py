"""Chinese search over 10,000 pages: ``python -m bench.search`` (target p95 ≤ 100 ms).

Runs inside the project with whatever settings and database the environment names, on a
database where ``load_demo`` has run (``bench.run`` prepares ``fangfei_bench``). It adds
risk notices until there are ``BENCH_SEARCH_PAGES`` (default 10,000) by copying the demo's
notices row by row in SQL (page, notice and search-index rows: seconds, where publishing
through Wagtail would take most of an hour), then times ``website.search.views.search_pages``
in-process for everyday queries (synonyms, traditional characters, pinyin, a miss) and prints
p50/p95 beside the target. The copies stay; run it again and it only tops up. PostgreSQL only
(the database backend's index table is copied as it is).

Environment: BENCH_SEARCH_PAGES (10000), BENCH_SEARCH_ROUNDS (10).
"""

import os
import statistics
import sys
import time

import django

TARGET_P95_MS = 100
QUERIES = (
    "养老 退休金 骗子 高息 天上掉馅饼 医保卡 養老 yanglao 老人被骗了怎么办 宣传月 "
    "虚拟币 保本保息 集资 理财 p2p 拉人头 以房养老 学生 合作社 足球比赛"
).split()
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet


def _step(n, width=4):
    out = ""
    for _ in range(width):
        out = ALPHABET[n % 36] + out
        n //= 36
    return out


def top_up(total):
    """Copy demo notices until there are ``total`` live pages; return how many were added."""
    from django.db import connection, transaction
    from wagtail.models import Page

    from website.pages.models import RiskNoticeIndexPage, RiskNoticePage

    index = RiskNoticeIndexPage.objects.get()
    templates = list(
        RiskNoticePage.objects.child_of(index)
        .exclude(slug__startswith="copy-")
        .values_list("pk", flat=True)
    )
    last_child = index.get_children().order_by("-path").values_list("path", flat=True).first()
    next_step = int(last_child[-4:], 36) + 1 if last_child else 1
    have = Page.objects.live().count()
    start = RiskNoticePage.objects.filter(slug__startswith="copy-").count()
    wanted = max(0, total - have)
    content_type = RiskNoticePage_ct()
    with connection.cursor() as c, transaction.atomic():
        describe = connection.introspection.get_table_description
        cols = [d.name for d in describe(c, "wagtailcore_page") if d.name != "id"]
        notice_cols = [d.name for d in describe(c, "pages_risknoticepage")]
        notice_cols.remove("page_ptr_id")
        fresh = {"translation_key": "gen_random_uuid()", "numchild": "0"}
        params_for = {"path", "slug", "url_path"}
        select = ", ".join("%s" if col in params_for else fresh.get(col, col) for col in cols)
        for k in range(start, start + wanted):
            values = {
                "path": index.path + _step(next_step + k - start),
                "slug": f"copy-{k}",
                "url_path": f"{index.url_path}copy-{k}/",
            }
            template = templates[k % len(templates)]
            c.execute(
                f"INSERT INTO wagtailcore_page ({', '.join(cols)}) SELECT {select} "
                "FROM wagtailcore_page WHERE id = %s RETURNING id",
                [values[col] for col in cols if col in params_for] + [template],
            )
            new = c.fetchone()[0]
            c.execute(
                f"INSERT INTO pages_risknoticepage (page_ptr_id, {', '.join(notice_cols)}) "
                f"SELECT %s, {', '.join(notice_cols)} FROM pages_risknoticepage "
                "WHERE page_ptr_id = %s",
                [new, template],
            )
            c.execute(
                "INSERT INTO wagtailsearch_indexentry (object_id, title_norm, content_type_id, "
                "autocomplete, title, body, title_text, body_text) SELECT %s, title_norm, "
                "content_type_id, autocomplete, title, body, title_text, body_text "
                "FROM wagtailsearch_indexentry WHERE object_id = %s AND content_type_id = %s",
                [str(new), str(template), content_type],
            )
        c.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s", [wanted, index.pk]
        )
        c.execute("ANALYZE")
    return wanted


def RiskNoticePage_ct():  # noqa: N802 - names the content type it returns
    from django.contrib.contenttypes.models import ContentType

    from website.pages.models import RiskNoticePage

    return ContentType.objects.get_for_model(RiskNoticePage).pk


def measure(rounds):
    """Return per-query times in ms over ``rounds`` passes (after one warm-up pass)."""
    from website.search.views import search_pages

    for query in QUERIES:
        list(search_pages(query)[:10])
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            list(search_pages(query)[:10])
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")
    django.setup()
    from wagtail.models import Page

    added = top_up(int(os.environ.get("BENCH_SEARCH_PAGES", "10000")))
    times = measure(int(os.environ.get("BENCH_SEARCH_ROUNDS", "10")))
    p95 = times[int(len(times) * 0.95)]
    verdict = "ok" if p95 <= TARGET_P95_MS else "BELOW"
    sys.stdout.write(
        f"Chinese search over {Page.objects.live().count():,} pages ({added:,} copies added): "
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        f"(target ≤ {TARGET_P95_MS} ms: {verdict})\n"
    )


if __name__ == "__main__":
    main()
