"""`make bench`, peak part: an open-model load test of the publicity-month peak.

Participants arrive at a set rate (Poisson: exponential gaps, independent of how fast the
server answers, unlike a closed loop of clients that waits politely). Each one reads the home
page and a risk notice, then takes the whole quiz as a phone without JavaScript does
(``bench.quiz.walk_attempt``: start, every question, its explanation, the result). The server is
the production one of ``bench.run``: gunicorn with ``BENCH_WORKERS`` (2) sync workers,
PostgreSQL and Redis, on the site database it prepared (prepared here when missing).

The site trusts one proxy (``DJANGO_TRUSTED_PROXY_COUNT=1``) and every participant sends its
own address in ``X-Forwarded-For``, so the quiz's real limits apply per person and per address
(nothing is lifted). Arrival rates are tried from the lowest up; a rate whose p99 passes
twice the target stops the series (higher ones only queue more). For each rate: participants
started and finished, requests, p50/p99 latency of every request, errors, answers/s; then the
highest rate with p99 under ``TARGET_P99`` and no errors.

The load generator runs on the same machine and takes CPU from the server, as the other
benches' clients do; figures from a machine shared with other work are lower still.

Environment: BENCH_PEAK_RATES (participants/s, "2,4,6,8,10,12,14,16"), BENCH_PEAK_SECONDS (arrivals
per rate, 20), BENCH_PEAK_DRAIN (seconds to let the last arrivals finish, 30),
BENCH_PEAK_THINK (mean seconds a person reads each screen, 0), BENCH_PEAK_SEED (1), and those of
``bench.run`` (BENCH_WORKERS, BENCH_PG, BENCH_DB, BENCH_REDIS_URL). `--quick` tries three
rates for 8 s each.
"""

import json
import os
import random
import secrets
import sys
import threading
import time
import urllib.parse

from bench.quiz import Browser, walk_attempt, worker_cpu_seconds
from bench.run import DB_SITE, ROOT, WORKERS, Server, ensure_site, say, site_env

TARGET_P99 = 1.0  # seconds
KEEP_UP = 1.1  # × the arrivals' window: how long a rate may take to be served
QUICK = "--quick" in sys.argv[1:]
RATES = [
    float(r)
    for r in os.environ.get("BENCH_PEAK_RATES", "1,3,5" if QUICK else "2,4,6,8,10,12,14,16").split(
        ","
    )
    if r.strip()
]
SECONDS = float(os.environ.get("BENCH_PEAK_SECONDS", "8" if QUICK else "20"))
DRAIN = float(os.environ.get("BENCH_PEAK_DRAIN", "30"))
THINK = float(os.environ.get("BENCH_PEAK_THINK", "0"))
SEED = int(os.environ.get("BENCH_PEAK_SEED", "1"))


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


class Step:
    """What one arrival rate did: latencies of every request, errors, answers."""

    def __init__(self, rate):
        self.rate = rate
        self.lock = threading.Lock()
        self.latencies, self.errors = [], []
        self.started = self.finished = self.answers = 0
        self.elapsed = self.cpu = 0.0

    def record(self, seconds, status):
        with self.lock:
            self.latencies.append(seconds)
            if status >= 400:
                self.errors.append(str(status))

    def summary(self):
        ordered = sorted(self.latencies)
        return {
            "rate": self.rate,
            "started": self.started,
            "finished": self.finished,
            "requests": len(ordered),
            "requests_per_s": len(ordered) / self.elapsed if self.elapsed else 0.0,
            "answers_per_s": self.answers / self.elapsed if self.elapsed else 0.0,
            "p50": percentile(ordered, 50),
            "p99": percentile(ordered, 99),
            "errors": len(self.errors),
            "error_kinds": sorted(set(self.errors))[:5],
            "cpu_ms_per_request": 1000 * self.cpu / len(ordered) if ordered else 0.0,
            # Arrivals' window plus the time the last of them took to finish.
            "elapsed": self.elapsed,
        }


def participant(port, number, paths, step, rng_seed):
    """One person: home page, a notice, the whole quiz; every request timed."""
    rng = random.Random(rng_seed)
    # A distinct public-looking address per person (TEST-NET ranges are refused by nothing here).
    browser = Browser(port, f"100.{64 + number // 65536 % 64}.{number // 256 % 256}.{number % 256}")

    def request(method, path, form):
        if THINK:
            time.sleep(rng.expovariate(1 / THINK))
        started = time.perf_counter()
        try:
            status, location, body = browser.request(method, path, form)
        except OSError as exc:
            step.record(time.perf_counter() - started, 599)
            raise RuntimeError(f"{method} {path}: {exc}") from exc
        step.record(time.perf_counter() - started, status)
        return status, location, body

    def answered():
        with step.lock:
            step.answers += 1

    try:
        for path in (paths["home"], paths["notice"]):
            request("GET", path, None)
        _, error = walk_attempt(request, paths["quiz"], answered)
        if error:
            with step.lock:
                step.errors.append(error[:60])
        else:
            with step.lock:
                step.finished += 1
    except RuntimeError as exc:
        with step.lock:
            step.errors.append(str(exc)[:60])
    finally:
        browser.conn.close()


def run_rate(server, paths, rate, first_number, rng):
    """Let participants arrive at ``rate`` per second for SECONDS; return the Step."""
    port = server.port
    step = Step(rate)
    cpu_before = worker_cpu_seconds(server.proc.pid)
    threads = []
    started = time.monotonic()
    arrival = started
    number = first_number
    while True:
        arrival += rng.expovariate(rate)
        if arrival - started >= SECONDS:
            break
        time.sleep(max(0.0, arrival - time.monotonic()))
        thread = threading.Thread(
            target=participant,
            args=(port, number, paths, step, rng.randrange(2**32)),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
        number += 1
        step.started += 1
    deadline = time.monotonic() + DRAIN
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    unfinished = sum(1 for t in threads if t.is_alive())
    if unfinished:
        step.errors += [f"unfinished after {DRAIN:.0f}s drain"] * unfinished
    step.elapsed = time.monotonic() - started
    step.cpu = worker_cpu_seconds(server.proc.pid) - cpu_before
    return step, number


def site_paths():
    from bench.probe import _urls
    from quiz.models import QuizPage

    urls, _index = _urls()
    quiz = QuizPage.objects.live().order_by("pk").first()
    if quiz is None or not urls["notice"]:
        return None
    return {
        "home": urls["home"],
        "notice": urls["notice"],
        "quiz": urllib.parse.urlsplit(quiz.get_url() or quiz.url_path).path,
        "questions": quiz.question_count,
    }


def kept_up(row):
    """True when the server kept pace with the arrivals: the last participants finished
    within a tenth of the window after it closed. Past the knee a queue builds, and a short
    window can still show a p99 under the target while the backlog grows."""
    return row.get("elapsed", 0.0) <= KEEP_UP * SECONDS


def sustained(rows):
    """Return the highest rate whose p99 is under the target with no errors and that the
    server kept pace with (0 if none)."""
    passing = [r["rate"] for r in rows if r["p99"] < TARGET_P99 and not r["errors"] and kept_up(r)]
    return max(passing) if passing else 0.0


def print_report(rows, paths, load):
    print(f"\nPeak: open-model participants (production server, gunicorn sync ×{WORKERS}, "
          "PostgreSQL, Redis)")  # fmt: skip
    print(
        f"  each: home + notice + the whole quiz ({paths['questions']} questions, explanation "
        f"after each); arrivals Poisson, {SECONDS:.0f} s per rate; think time {THINK:g} s"
    )
    print(
        f"  {'arrivals/s':>10} {'started':>8} {'done':>6} {'requests':>9} {'req/s':>7} "
        f"{'answers/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>10} {'errors':>7}"
    )
    for r in rows:
        flag = "" if r["p99"] < TARGET_P99 and not r["errors"] else "  over"
        print(
            f"  {r['rate']:>10g} {r['started']:>8} {r['finished']:>6} {r['requests']:>9} "
            f"{r['requests_per_s']:>7.1f} {r['answers_per_s']:>9.1f} {r['p50'] * 1000:>8.0f} "
            f"{r['p99'] * 1000:>8.0f} {r['cpu_ms_per_request']:>10.1f} {r['errors']:>7}{flag}"
            + ("" if kept_up(r) else f"  (fell behind: served in {r['elapsed']:.0f} s)")
            + (f"  ({', '.join(r['error_kinds'])})" if r["error_kinds"] else "")
        )
    best = sustained(rows)
    per_person = (
        sum(r["requests"] for r in rows) / max(1, sum(r["finished"] for r in rows)) if rows else 0
    )
    print(
        f"  highest rate kept up with, p99 < {TARGET_P99 * 1000:.0f} ms, no errors: {best:g} "
        f"participants/s on {WORKERS} workers ({per_person:.0f} requests each)"
    )
    requests = sum(r["requests"] for r in rows)
    cpu_per_request = (
        sum(r["cpu_ms_per_request"] * r["requests"] for r in rows) / requests if requests else 0.0
    )
    if cpu_per_request:
        print(
            f"  web workers' CPU: {cpu_per_request:.1f} ms per request, "
            f"{cpu_per_request * per_person / 1000:.2f} s per participant; one core at 100 % "
            f"serves {1000 / (cpu_per_request * per_person):.1f} participants/s"
        )
    print(
        f"  load average {load[0]:.1f} before, {load[1]:.1f} after (2 cores; shared machines run lower)"
    )
    sys.stdout.write(
        "BENCH-JSON "
        + json.dumps(
            {
                "rows": rows,
                "sustained": best,
                "requests_per_participant": per_person,
                "cpu_ms_per_request": cpu_per_request,
            }
        )
        + "\n"
    )


def main():
    secret = secrets.token_urlsafe(48)[:64]
    notes = ensure_site(secret)
    env = {**site_env(secret), "DJANGO_TRUSTED_PROXY_COUNT": "1"}
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE", "REDIS", "TIPOFF_"))}
    )
    import django

    django.setup()
    paths = site_paths()
    if paths is None:
        print(f"peak bench: no quiz or notice in {DB_SITE}; run `python -m bench.run` first")
        return 1
    server = Server("peak", "website.wsgi", env, ROOT)
    server.start()
    rows = []
    load_before = os.getloadavg()[0]
    try:
        server.wait_ready()
        # Warm up: fill the page cache and each worker's caches before the first rate.
        warm = Step(0)
        for n in range(2):
            participant(server.port, 10**6 + n, paths, warm, n)
        rng = random.Random(SEED)
        number = 0
        for rate in RATES:
            say(f"peak: {rate:g} participants/s for {SECONDS:.0f} s")
            step, number = run_rate(server, paths, rate, number, rng)
            rows.append(step.summary())
            if rows[-1]["p99"] > 2 * TARGET_P99:
                say("peak: p99 over twice the target; higher rates are not tried")
                break
    except KeyboardInterrupt:
        say("interrupted")
    finally:
        server.stop()
    for note in notes:
        print(f"  note: {note}")
    print_report(rows, paths, (load_before, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
