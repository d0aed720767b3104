"""`make bench`, field part: how the site holds up against what a real deployment meets, measured
on the production server (gunicorn, PostgreSQL, Redis) behind a pretend reverse proxy: the
site trusts one proxy (``DJANGO_TRUSTED_PROXY_COUNT=1``) and each simulated client sends its
own address in ``X-Forwarded-For``, as nginx would.

1. SMS bombing: 1,000 code requests for ONE number, each from a different address.
2. A sign-up flood: 2,000 requests for distinct numbers from 200 addresses, then one real
   person from a fresh address asks for a code.
3. A class on one network: 60 quiz starts and 60 SMS sign-ups from ONE address, each pupil
   with a browser (cookies) of its own, within a few minutes.
4. Made-up session cookies: the home page's median with no cookie and with a fresh random
   ``sessionid`` on every request (a made-up cookie must not cost the page cache).
5. Redis stopped: the site's cache on a redis-server of its own, stopped while pages are
   requested, then started again.

Codes "sent" are counted in the SMS outbox the server writes (``SMS_BACKEND`` outbox), not
taken from the answers. Uses the site database that ``bench.run`` prepared (run it first);
Redis db 15 is flushed between parts so each starts from a clean day.

Environment: BENCH_FIELD_THREADS (8), BENCH_WORKERS (2).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.quiz import Browser
from bench.run import DB_SITE, ROOT, Server, flush_redis, free_port, site_env

THREADS = int(os.environ.get("BENCH_FIELD_THREADS", "8"))
VAR = ROOT / "var" / "bench" / "field"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"')


def address(i):
    """A distinct public-looking IPv4 address for client ``i``."""
    return f"100.{64 + (i >> 16) % 64}.{(i >> 8) % 256}.{i % 256}"


def mobile(i):
    return f"139{i:08d}"


def ask_for_code(port, client_address, phone):
    """Fill in the sign-up form as a person would; return what happened to the request:
    "sent" (on to the code page), "challenged" (asked to prove being a person),
    "refused" (429) or "error:<status>"."""
    browser = Browser(port, client_address)
    status, _, page = browser.request("GET", "/sms/subscribe/")
    token = CSRF.search(page)
    if status != 200 or not token:
        return f"error:{status}"
    status, location, page = browser.request(
        "POST",
        "/sms/subscribe/",
        {"csrfmiddlewaretoken": token.group(1), "phone": phone, "consent": "on"},
    )
    if status in (301, 302, 303):
        return "sent" if "verify" in location else f"error:{status}"
    if status == 429:
        return "refused"
    if status == 200 and ("challenge" in page or "human" in page):
        return "challenged"
    return f"error:{status}"


def start_quiz(port, client_address, quiz_path):
    """Open the quiz and press 开始答题 in a browser of its own; return "served",
    "refused" (429) or "error:<status>"."""
    browser = Browser(port, client_address)
    status, _, page = browser.request("GET", quiz_path)
    start, token = FORM.search(page), CSRF.search(page)
    if status != 200 or not (start and token):
        return f"error:{status}"
    status, _, _ = browser.request("POST", start.group(1), {"csrfmiddlewaretoken": token.group(1)})
    if status in (301, 302, 303):
        return "served"
    return "refused" if status == 429 else f"error:{status}"


def outbox_count(folder):
    return sum(len(p.read_text().splitlines()) for p in Path(folder).glob("*.jsonl"))


def tally(results):
    counts = {}
    for r in results:
        counts[r] = counts.get(r, 0) + 1
    return counts


def run_parallel(fn, jobs):
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda job: fn(*job), jobs))


def home_median_ms(port, cookie_factory, n=200):
    times = []
    for _ in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        cookie = cookie_factory()
        if cookie:
            headers["Cookie"] = cookie
        started = time.perf_counter()
        conn.request("GET", "/", headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        conn.close()
    return statistics.median(times)


class OwnRedis:
    """A redis-server of this bench's own, so stopping it touches nobody else."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def page_statuses(port, paths, rounds):
    statuses = {}
    for _ in range(rounds):
        for path in paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                key = response.status
            except OSError as exc:
                key = type(exc).__name__
            finally:
                conn.close()
            statuses[key] = statuses.get(key, 0) + 1
    return statuses


def main():
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    outbox = VAR / "sms-outbox"
    env = site_env(secrets.token_urlsafe(48))
    env.update(
        {
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "SMS_TRUSTED_PROXY_COUNT": "1",
            "FANGFEI_VAR_DIR": str(VAR),
            "SMS_BACKEND": "campaigns.sms.sending.backends.outbox.OutboxBackend",
        }
    )
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE", "REDIS", "TIPOFF_"))}
    )
    import django

    django.setup()
    from quiz.models import QuizPage
    from website.pages.models import RiskNoticePage

    quiz = QuizPage.objects.live().order_by("pk").first()
    notice = RiskNoticePage.objects.live().order_by("pk").first()
    if quiz is None or notice is None:
        print(f"field bench: no demo content in {DB_SITE}; run `python -m bench.run` first")
        return 1
    quiz_path = urllib.parse.urlsplit(quiz.get_url() or quiz.url_path).path
    notice_path = urllib.parse.urlsplit(notice.get_url() or notice.url_path).path
    report = {}

    flush_redis()
    server = Server("field", "website.wsgi", env, ROOT)
    server.start()
    try:
        server.wait_ready()

        # 1. one number, rotating addresses
        before = outbox_count(outbox)
        results = run_parallel(
            ask_for_code, [(server.port, address(i), mobile(1)) for i in range(1000)]
        )
        report["bombing"] = {"answers": tally(results), "sent": outbox_count(outbox) - before}

        # 2. 2,000 numbers from 200 addresses, then a real person
        before = outbox_count(outbox)
        jobs = [(server.port, address(10_000 + i % 200), mobile(100 + i)) for i in range(2000)]
        started = time.monotonic()
        results = run_parallel(ask_for_code, jobs)
        report["flood"] = {
            "answers": tally(results),
            "sent": outbox_count(outbox) - before,
            "seconds": round(time.monotonic() - started, 1),
        }
        report["real_person_after_flood"] = ask_for_code(server.port, address(99_999), mobile(7))

        # 3. a class on one network (a clean day: the flood above is not the class's fault)
        flush_redis()
        school = address(55_555)
        before = outbox_count(outbox)
        quiz_results = run_parallel(start_quiz, [(server.port, school, quiz_path)] * 60)
        sms_results = run_parallel(
            ask_for_code, [(server.port, school, mobile(50_000 + i)) for i in range(60)]
        )
        report["class_one_address"] = {
            "quiz_starts": tally(quiz_results),
            "sms_signups": tally(sms_results),
            "codes_sent": outbox_count(outbox) - before,
        }

        # 4. made-up session cookies
        page_statuses(server.port, ["/"], 3)  # warm the cache
        plain = home_median_ms(server.port, lambda: None)
        made_up = home_median_ms(server.port, lambda: f"sessionid={secrets.token_hex(16)}")
        report["home_median_ms"] = {
            "no_cookie": round(plain, 2),
            "made_up_session": round(made_up, 2),
        }
    finally:
        server.stop()

    # 5. Redis stopped under a running site
    redis = OwnRedis()
    redis.start()
    outage_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0"}
    server = Server("field-redis", "website.wsgi", outage_env, ROOT)
    server.start()
    paths = ["/", notice_path, quiz_path, "/search/?q=%E5%85%BB%E8%80%81"]
    try:
        server.wait_ready()
        report["redis_up"] = page_statuses(server.port, paths, 5)
        redis.stop()
        report["redis_stopped"] = page_statuses(server.port, paths, 25)
        redis.start()
        time.sleep(1)
        report["redis_back"] = page_statuses(server.port, paths, 5)
    finally:
        server.stop()
        redis.stop()

    print("\nField conditions (production server, gunicorn sync ×2, PostgreSQL, Redis, one proxy)")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    bombing_ok = report["bombing"]["sent"] <= 5
    print(
        f"  codes sent for 1,000 requests for one number: {report['bombing']['sent']} (≤ 5: "
        f"{'ok' if bombing_ok else 'BELOW'})"
    )
    print(
        f"  2,000 numbers from 200 addresses: {report['flood']['sent']} codes sent; "
        f"a real person afterwards: {report['real_person_after_flood']}"
    )
    cls = report["class_one_address"]
    print(f"  one address, 60 quiz starts: {cls['quiz_starts']}; 60 sign-ups: {cls['sms_signups']}")
    home = report["home_median_ms"]
    print(
        f"  home median: {home['no_cookie']} ms without cookie, {home['made_up_session']} ms "
        "with made-up session cookies"
    )
    print(f"  pages while Redis is stopped: {report['redis_stopped']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
