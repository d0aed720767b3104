"""`make bench`, firm lookup part: p95 of a lookup over 100,000 entities on PostgreSQL.

1. Database ``fangfei_bench_firms`` dropped, re-created and migrated (production settings),
   static files collected, then ``BENCH_FIRMS_ENTITIES`` (default 100,000) fictional entities written in bulk with
   their name index (a third with aliases, half with credit codes), and ANALYZE.
2. The service (``website.firms.lookup.lookup``), in-process: name fragments of 2 characters
   (the start of a name, as the lookup matches them) and of 3 to 6 (anywhere in a name), whole aliases, credit codes and names that are on no list, each timed.
   ``find_in_text`` over a 3,000-character pitch is timed too (the red-flag checker calls it).
3. HTTP: the production server (gunicorn, page cache off so every request is a lookup) is
   asked for the page ``/lookup/?q=`` and the JSON ``/api/lookup/?q=``, one request at a time,
   each from its own address behind a pretend proxy (so the per-client limit never refuses).

Target: p95 ≤ 50 ms for every kind of query. A figure over its target is reported as BELOW;
the exit status is non-zero only when the bench itself could not run.

Environment: BENCH_FIRMS_ENTITIES (100000), BENCH_FIRMS_QUERIES (300 per kind),
BENCH_FIRMS_REUSE (1: keep the last run's database if it holds the entities),
BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_WORKERS (2).
"""

import os
import random
import secrets
import statistics
import sys
import time
from urllib.parse import quote

from bench.run import (
    LOGS,
    PG,
    ROOT,
    BenchError,
    Server,
    fetch,
    recreate_database,
    run_step,
    say,
    site_env,
)

DB = "fangfei_bench_firms"
ENTITIES = int(os.environ.get("BENCH_FIRMS_ENTITIES", "100000"))
QUERIES = int(os.environ.get("BENCH_FIRMS_QUERIES", "300"))
# Keep the database of the last run when it holds the entities (for trying changes quickly).
REUSE = os.environ.get("BENCH_FIRMS_REUSE") == "1"
TARGET_MS = 50.0
BATCH = 5000
SEED = 20260515

# Characters for made-up brand names: common in firm names, so fragments match realistically.
BRAND_CHARS = (
    "金银财富汇融通聚宝源鼎盛泰安康颐惠民丰众链乐享云端稳赢百福来穗园居宏图远晨曦光九州兴"
    "万家和春江茶香山水红枫彩虹桥星河湾青禾田暖阳坊瑞鑫祥龙凤华中天地人和美佳信诚德厚德"
)
TRADES = [
    "投资管理", "财富管理", "养老服务", "区块链科技", "电子商务", "文化传媒", "投资咨询",
    "农业发展", "健康科技", "商贸", "信息咨询", "网络科技", "实业", "村镇银行", "资产管理",
]  # fmt: skip
FORMS = ["有限公司", "股份有限公司", "有限责任公司", "合作社", "服务中心"]


def database_ready(env):
    """Return whether the bench database exists with at least ENTITIES entities."""
    import psycopg

    try:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            count = conn.execute("SELECT count(*) FROM firms_entity").fetchone()[0]
    except psycopg.Error:
        return False
    return count >= ENTITIES


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def generate(count, rng):
    """Write ``count`` entities and their name index, then ANALYZE."""
    from django.db import connection
    from django.utils import timezone

    from website.firms.codes import ALPHABET, check_character
    from website.firms.models import Entity, EntityKind, EntityName, names_for

    kinds = list(EntityKind.objects.all())
    now, today = timezone.now(), timezone.localdate()
    made = 0
    while made < count:
        batch = []
        for i in range(made, min(count, made + BATCH)):
            brand = "".join(rng.choice(BRAND_CHARS) for _ in range(rng.choice((2, 3, 3, 4))))
            name = f"{brand}{rng.choice(TRADES)}{rng.choice(FORMS)}"
            alias = f"{brand}{rng.choice(['宝', '通', '盈', 'App'])}{i}" if i % 3 == 0 else ""
            code = ""
            if i % 2 == 0:
                body = "91" + "430900" + "".join(rng.choice(ALPHABET) for _ in range(9))
                code = body + check_character(body)
            batch.append(
                Entity(
                    name=name,
                    aliases=alias,
                    credit_code=code,
                    kind=kinds[i % len(kinds)],
                    reason="示范数据",
                    source="示范文件",
                    source_date=today,
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        Entity.objects.bulk_create(batch)
        EntityName.objects.bulk_create([row for e in batch for row in names_for(e)])
        made += len(batch)
        say(f"firms: {made:,} entities written")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE firms_entity")
        cursor.execute("ANALYZE firms_entityname")


def sample(rng, size=2000):
    """Return {"names", "aliases", "codes"}: random ones of the published entities."""
    from website.firms.models import Entity

    rows = list(
        Entity.objects.filter(live=True)
        .order_by("?")
        .values_list("name", "aliases", "credit_code")[:size]
    )
    return {
        "names": [name for name, _, _ in rows],
        "aliases": [alias for _, alias, _ in rows if alias],
        "codes": [code for _, _, code in rows if code],
    }


def queries(samples, rng):
    """Return {kind of query: [queries]}."""
    from website.firms.normalise import normalise_name

    def fragment(name, size):
        folded = normalise_name(name)
        # Two characters are matched at the start of names (see lookup), so take a start.
        start = 0 if size == 2 else rng.randrange(0, max(1, len(folded) - size))
        return folded[start : start + size]

    names = samples["names"]
    return {
        "fragment, 2 chars": [fragment(rng.choice(names), 2) for _ in range(QUERIES)],
        "fragment, 3-4 chars": [
            fragment(rng.choice(names), rng.choice((3, 4))) for _ in range(QUERIES)
        ],
        "fragment, 5-6 chars": [
            fragment(rng.choice(names), rng.choice((5, 6))) for _ in range(QUERIES)
        ],
        "whole name": [rng.choice(names) for _ in range(QUERIES)],
        "alias": [rng.choice(samples["aliases"]) for _ in range(QUERIES)],
        "credit code": [rng.choice(samples["codes"]) for _ in range(QUERIES)],
        "not on any list": [f"无此机构{i}号商贸有限公司" for i in range(QUERIES)],
    }


def time_service(sets):
    from website.firms.lookup import lookup

    rows = []
    for label, qs in sets.items():
        for q in qs[:20]:  # warm the caches
            lookup(q)
        times, found = [], 0
        for q in qs:
            start = time.perf_counter()
            result = lookup(q)
            times.append((time.perf_counter() - start) * 1000)
            found += bool(result.matches)
        rows.append((label, times, found / len(qs)))
    return rows


def time_reference(samples):
    """Return times of the cheapest lookup there is, one entity by primary key with its kind
    and region: the floor this machine and database give any query, measured in the same run."""
    from website.firms.models import Entity

    ids = list(Entity.objects.order_by("?").values_list("pk", flat=True)[:QUERIES])
    times = []
    for pk in ids:
        start = time.perf_counter()
        Entity.objects.select_related("kind", "region").filter(pk=pk).first()
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_find_in_text(samples, rng):
    from website.firms.lookup import find_in_text

    filler = "我们的项目由专业团队运作，年化收益稳定，欢迎介绍亲友加入，名额有限。"
    times = []
    for _ in range(50):
        parts = []
        while sum(map(len, parts)) < 3000:
            parts.append(filler)
            if rng.random() < 0.2:
                parts.append(rng.choice(samples["names"]) + "。")
        text = "".join(parts)[:3000]
        start = time.perf_counter()
        find_in_text(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_http(env, sets):
    server = Server("firms", "website.wsgi", env, ROOT)
    server.start()
    rows = []
    try:
        server.wait_ready()
        for path, label in (
            ("/lookup/?q=", "page /lookup/"),
            ("/api/lookup/?q=", "JSON /api/lookup/"),
        ):
            times, errors = [], 0
            n = 0
            for qs in sets.values():
                for q in qs[:100]:
                    n += 1
                    headers = {
                        "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
                    }
                    start = time.perf_counter()
                    status, _, _ = fetch(server.port, path + quote(q), headers)
                    times.append((time.perf_counter() - start) * 1000)
                    errors += status != 200
            rows.append((label, times, errors))
    finally:
        server.stop()
    return rows


def verdict(ms):
    return "ok" if ms <= TARGET_MS else "BELOW"


def main():
    rng = random.Random(SEED)
    env = site_env(secrets.token_urlsafe(48))
    env.update(
        {
            "DATABASE_URL": f"{PG}/{DB}",
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
        }
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    reuse = REUSE and database_ready(env)
    # The production settings serve static files through a manifest that must exist.
    run_step(
        "firms: collectstatic",
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env,
        log="firms-collectstatic",
    )
    if not reuse:
        say(f"firms: database {DB}")
        recreate_database(DB)
    # A kept database still gets the migrations added since it was made.
    run_step(
        "firms: migrate",
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env,
        log="firms-migrate",
    )
    os.environ.update(
        {
            k: v
            for k, v in env.items()
            if k.startswith(("DJANGO_", "DATABASE", "REDIS", "PUBLIC", "TIPOFF_"))
        }
    )
    import django

    django.setup()
    from website.firms.models import Entity

    if not reuse:
        started = time.monotonic()
        generate(ENTITIES, rng)
        say(f"firms: {ENTITIES:,} entities in {time.monotonic() - started:.0f} s")
    entities = Entity.objects.count()
    samples = sample(rng)
    sets = queries(samples, rng)
    reference = time_reference(samples)
    service = time_service(sets)
    texts = time_find_in_text(samples, rng)
    http = time_http(env, sets)

    print(
        f"\nFirm lookup over {entities:,} entities (PostgreSQL, pg_trgm; target p95 ≤ {TARGET_MS:.0f} ms)"
    )
    print(f"  {'service lookup()':<26}{'p50 ms':>9}{'p95 ms':>9}{'found':>8}")
    print(
        f"  {'(reference: one row by id)':<26}{statistics.median(reference):9.1f}"
        f"{percentile(reference, 95):9.1f}"
    )
    for label, times, found in service:
        p95 = percentile(times, 95)
        print(f"  {label:<26}{statistics.median(times):9.1f}{p95:9.1f}{found:8.0%}  {verdict(p95)}")
    every = [t for _, times, _ in service for t in times]
    print(
        f"  {'all of the above':<26}{statistics.median(every):9.1f}{percentile(every, 95):9.1f}{'':8}  {verdict(percentile(every, 95))}"
    )
    print(
        f"  {'find_in_text, 3,000 chars':<26}{statistics.median(texts):9.1f}{percentile(texts, 95):9.1f}"
    )
    print(f"  {'HTTP (gunicorn, 1 client)':<26}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for label, times, errors in http:
        p95 = percentile(times, 95)
        print(f"  {label:<26}{statistics.median(times):9.1f}{p95:9.1f}{errors:8d}  {verdict(p95)}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as exc:
        print(f"firms bench could not run: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
