"""`make bench`, SMS part: the messaging pipeline on PostgreSQL + Redis with real Celery
workers and the fake HTTP gateway (DESIGN.md, "Performance" and "Reliability" targets).

1. plan a 1,000,000-recipient blast (one INSERT … SELECT)            target ≤ 10 s
2. worker peak memory sending a 10k blast vs working the 1M blast     target < 50 MB growth
3. send rate, 2 workers, unthrottled, batch-capable fake gateway      target ≥ 2,000 msg/s
4. crash run: 20 SIGKILLs of a worker during a 100k blast             target 0 lost, 0 duplicate

Environment: BENCH_PG, BENCH_SMS_SUBSCRIBERS (1000000), BENCH_SMS_RUN (100000),
BENCH_SMS_KILLS (20), BENCH_SMS_MEMORY_SECONDS (45).
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.run import PG, ROOT, clean_env, recreate_database

DB = "fangfei_bench_sms"
REDIS = "redis://127.0.0.1:6379"
SUBSCRIBERS = int(os.environ.get("BENCH_SMS_SUBSCRIBERS", "1000000"))
RUN = int(os.environ.get("BENCH_SMS_RUN", "100000"))
KILLS = int(os.environ.get("BENCH_SMS_KILLS", "20"))
MEMORY_SECONDS = int(os.environ.get("BENCH_SMS_MEMORY_SECONDS", "45"))
LOGS = ROOT / "var" / "bench" / "sms"
GATEWAY_PORT = 9181


def say(message):
    print(f"[sms bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def env():
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": f"{PG}/{DB}",
        "CACHE_URL": f"{REDIS}/12",
        "CELERY_BROKER_URL": f"{REDIS}/11",
        "FANGFEI_VAR_DIR": str(LOGS / "var"),
        "SMS_GATEWAY_URL": f"http://127.0.0.1:{GATEWAY_PORT}",
        "SMS_GATEWAY_BATCH_SIZE": "200",
        "SMS_BATCH_SIZE": "200",
        "SMS_RATE_PER_SECOND": "0",
        "SMS_QUIET_HOURS": "off",
        "SMS_DISPATCH_SECONDS": "1",
        "SMS_SLOT_SECONDS": "3",
        "SMS_STALE_SECONDS": "6",
        "SMS_SETTLE_DELAY_SECONDS": "2",
        "SMS_TASK_SECONDS": "15",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


class Procs:
    """The bench's processes; ``overrides`` change their environment (e.g. the gateway URL)."""

    def __init__(self):
        self.procs = {}
        self.overrides = {}

    def start(self, key, args):
        log = open(LOGS / f"{key.split('#')[0]}.log", "a")
        self.procs[key] = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**env(), **self.overrides},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self.procs[key]

    def worker(self, name):
        return self.start(
            name,
            ["-m", "celery", "-A", "website", "worker", "--pool", "solo", "-l", "WARNING",
             "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        )  # fmt: skip

    def beat(self, schedule):
        return self.start(
            "beat",
            ["-m", "celery", "-A", "website", "beat", "-l", "WARNING", "--schedule",
             str(LOGS / "var" / schedule)],
        )  # fmt: skip

    def gateway(self, port):
        """Start the fake gateway on ``port`` and point every process started later at it."""
        self.overrides["SMS_GATEWAY_URL"] = f"http://127.0.0.1:{port}"
        return self.start(
            "gateway", ["-m", "campaigns.sms.sending.fake_gateway", "--port", str(port)]
        )

    def kill(self, key):
        proc = self.procs.pop(key)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def stop(self, *keys):
        for key in keys or list(self.procs):
            proc = self.procs.pop(key, None)
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def wait_for_workers(names, timeout=60):
    from website.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        up = {name.split("@")[0] for reply in replies for name in reply}
        if names <= up:
            return
    raise RuntimeError(f"workers {names} did not answer")


def gateway(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{GATEWAY_PORT}{path}", timeout=60) as r:
        return json.load(r)


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup_django():
    os.environ.update(env())
    import django

    django.setup()


def seed_subscribers(n):
    """Insert ``n`` active subscribers of the 老年人 audience in one county, set-based."""
    from django.db import connection

    from website.taxonomy.models import Audience, Region

    region = Region.objects.get(code="430922100201").pk
    audience = Audience.objects.get(slug="elderly").pk
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO campaigns_subscriber (phone, status, region_id, unsubscribe_token, created_at,"
            " confirmed_at, unsubscribed_via) SELECT '+86' || (13000000000 + g), 'active', %s,"
            " lpad(to_hex(g), 8, '0'), now(), now(), '' FROM generate_series(1, %s) g",
            [region, n],
        )
        c.execute(
            "INSERT INTO campaigns_subscriber_audiences (subscriber_id, audience_id)"
            " SELECT id, %s FROM campaigns_subscriber",
            [audience],
        )
        c.execute("ANALYZE")


def make_blast(limit_region=None, title="bench"):
    """An approved blast to the 老年人 audience (optionally of one village)."""
    from django.contrib.auth.models import User

    from campaigns.models import SmsBlast
    from campaigns.sms import blast_actions
    from website.taxonomy.models import Audience, Region

    author, _ = User.objects.get_or_create(username="bench-author")
    reviewer, _ = User.objects.get_or_create(
        username="bench-reviewer", defaults={"is_superuser": True}
    )
    blast = SmsBlast.objects.create(
        title=title, body="警惕以养老服务为名的非法集资，守好养老钱。", created_by=author
    )
    blast.audiences.set([Audience.objects.get(slug="elderly")])
    if limit_region:
        blast.regions.set([Region.objects.get(code=limit_region)])
    blast_actions.submit(blast, author)
    return blast_actions.approve(blast, reviewer, fingerprint=blast.fingerprint())


def subset_blast(n, title):
    """An approved blast whose ledger holds the first ``n`` subscribers (planned directly)."""
    from django.db import connection
    from django.utils import timezone

    from campaigns.models import SmsBlast

    blast = make_blast(title=title)
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO campaigns_smsdelivery (blast_id, subscriber_id, status, attempts, gateway_id,"
            " error_code) SELECT %s, id, 'queued', 0, '', '' FROM campaigns_subscriber ORDER BY id LIMIT %s",
            [blast.pk, n],
        )
    SmsBlast.objects.filter(pk=blast.pk).update(
        status="sending", planned_at=timezone.now(), planned_count=n
    )
    return blast


def wait_done(blast, timeout):
    from campaigns.models import SmsBlast

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if SmsBlast.objects.get(pk=blast.pk).status == "completed":
            return True
        time.sleep(0.5)
    return False


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "var").mkdir(exist_ok=True)
    for log in LOGS.glob("*.log"):
        log.unlink()
    say(f"database {DB}: re-create and migrate")
    recreate_database(DB)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env(), check=True)
    import redis

    for db in (11, 12):
        redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
    setup_django()
    from campaigns.models import SmsDelivery
    from campaigns.sms import delivery

    t = time.monotonic()
    seed_subscribers(SUBSCRIBERS)
    say(f"{SUBSCRIBERS:,} subscribers inserted in {time.monotonic() - t:.1f} s")
    results = {}
    procs = Procs()
    try:
        # 1. Planning
        big = make_blast(title="1M")
        t = time.monotonic()
        planned = delivery.plan_blast(big.pk)
        results["plan_seconds"] = time.monotonic() - t
        say(f"planned {planned:,} recipients in {results['plan_seconds']:.2f} s (target ≤ 10 s)")
        from campaigns.models import SmsBlast

        SmsBlast.objects.filter(pk=big.pk).update(status="paused")  # held for step 2

        procs.gateway(GATEWAY_PORT)
        time.sleep(1)
        procs.beat("beat-schedule")

        # 2. Worker memory: a 10k blast to the end, then the 1M blast for a while.
        small = subset_blast(10_000, "10k")
        w = procs.worker("mem")
        wait_done(small, 300)
        rss_small = peak_rss_mb(w.pid)
        SmsBlast.objects.filter(pk=big.pk).update(status="sending")
        time.sleep(MEMORY_SECONDS)
        rss_big = peak_rss_mb(w.pid)
        sent_big = SmsDelivery.objects.filter(blast=big, status="submitted").count()
        SmsBlast.objects.filter(pk=big.pk).update(status="cancelled")
        procs.stop("mem")
        results.update(rss_10k_mb=rss_small, rss_1m_mb=rss_big, growth_mb=rss_big - rss_small)
        say(
            f"worker peak RSS: 10k blast {rss_small:.0f} MB, 1M blast ({sent_big:,} sent in "
            f"{MEMORY_SECONDS} s) {rss_big:.0f} MB, growth {rss_big - rss_small:.1f} MB (target < 50)"
        )

        # 3. Send rate with two workers, unthrottled.
        rate_blast = subset_blast(RUN, "rate")
        SmsBlast.objects.filter(pk=rate_blast.pk).update(status="paused")
        procs.worker("rate1")
        procs.worker("rate2")
        wait_for_workers({"rate1", "rate2"})
        before = gateway("/stats")["messages"]
        SmsBlast.objects.filter(pk=rate_blast.pk).update(status="sending")
        t = time.monotonic()
        while gateway("/stats")["messages"] == before:  # the next dispatcher tick
            time.sleep(0.05)
        first = time.monotonic()
        wait_done(rate_blast, 900)
        elapsed = time.monotonic() - first
        sent = gateway("/stats")["messages"] - before
        results["rate"] = sent / elapsed
        say(
            f"sent {sent:,} in {elapsed:.1f} s with 2 workers: {results['rate']:,.0f} msg/s "
            f"(target ≥ 2,000; first message {first - t:.1f} s after the blast was released)"
        )
        procs.stop("rate1", "rate2")

        # 4. Crash run, against a fresh gateway so its log holds this blast only.
        procs.stop("gateway", "beat")
        procs.gateway(GATEWAY_PORT + 1)
        time.sleep(1)
        procs.beat("beat-schedule-crash")
        crash = subset_blast(RUN, "crash")
        ids = list(SmsDelivery.objects.filter(blast=crash).values_list("pk", flat=True))
        _crash_run(procs, crash, ids, results)
    finally:
        procs.stop()
    print_summary(results)


def _crash_run(procs, blast, ids, results):
    procs.worker("crashA")
    procs.worker("crashB")
    interval = float(os.environ.get("BENCH_SMS_KILL_INTERVAL", "2.0"))
    kills = 0
    while kills < KILLS:
        time.sleep(interval)
        victim = "crashA" if kills % 2 == 0 else "crashB"
        procs.kill(victim)
        kills += 1
        time.sleep(0.3)
        procs.worker(victim)
    say(f"{kills} SIGKILLs done; waiting for the blast to finish")
    done = wait_done(blast, 600)
    with urllib.request.urlopen(procs.overrides["SMS_GATEWAY_URL"] + "/messages", timeout=120) as r:
        messages = json.load(r)
    lost = sum(1 for pk in ids if f"d{pk}" not in messages)
    duplicates = sum(len(v) - 1 for v in messages.values() if len(v) > 1)
    results.update(crash_kills=kills, crash_lost=lost, crash_duplicates=duplicates, crash_done=done)
    say(
        f"crash run: {kills} SIGKILLs during a {len(ids):,} blast: lost {lost}, duplicates {duplicates} "
        f"(target 0 and 0){'' if done else ' — BLAST DID NOT FINISH'}"
    )


def print_summary(r):
    def mark(ok):
        return "PASS" if ok else "BELOW"

    print("\nSMS pipeline (PostgreSQL, Redis, Celery workers, fake HTTP gateway)")
    print(
        f"  plan {SUBSCRIBERS:,} recipients      {r.get('plan_seconds', float('nan')):8.2f} s     target ≤ 10 s      {mark(r.get('plan_seconds', 99) <= 10)}"
    )
    if "growth_mb" in r:
        print(
            f"  worker RSS 10k → 1M          {r['rss_10k_mb']:5.0f} → {r['rss_1m_mb']:.0f} MB  growth {r['growth_mb']:.1f} MB, target < 50  {mark(r['growth_mb'] < 50)}"
        )
    if "rate" in r:
        print(
            f"  send rate, 2 workers         {r['rate']:8,.0f} msg/s  target ≥ 2,000   {mark(r['rate'] >= 2000)}"
        )
    if "crash_lost" in r:
        ok = r["crash_lost"] == 0 and r["crash_duplicates"] == 0 and r["crash_done"]
        print(
            f"  crash run ({r['crash_kills']} SIGKILLs)       lost {r['crash_lost']}, duplicates {r['crash_duplicates']}   target 0 / 0   {mark(ok)}"
        )


if __name__ == "__main__":
    main()
