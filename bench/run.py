"""``make bench``: the site's public pages under load, beside references measured in the same run.

Steps (about three minutes on a 2-core machine with the default 10 s per URL):

1. PostgreSQL database ``fangfei_bench`` dropped and re-created, migrated with the production
   settings, static files collected, ``load_demo`` run, and ``BENCH_NOTICES`` (default 200)
   extra risk notices added under the notices index (``bench/seed.py``). Redis db 15 flushed.
2. The reference projects: ``bench/bare_django`` (one ``HttpResponse("Hello")`` view with the
   middleware ``startproject`` generates) and a project made by ``wagtail start`` in
   ``var/bench/wagtailref`` on database ``fangfei_bench_wagtailref``, served with its
   production settings and its welcome page. Prepared in parallel with step 1.
3. gunicorn for each (sync worker, ``BENCH_WORKERS`` workers, default 2, one thread).
4. SQL queries per page counted in-process (``bench/probe.py``).
5. Load with ``wrk`` (installed with apt-get when missing and possible; otherwise the Python
   load generator in ``bench/loadgen.py``): each URL is warmed up, then loaded for
   ``BENCH_SECONDS`` in two halves, one in a pass over all URLs in order and one in a pass in
   reverse order, so slow drift from other work on the machine cancels out of the ratios.
   Public pages are measured cached (a plain anonymous request; ``X-Cache: HIT`` checked first)
   and uncached (the same site served by a second gunicorn with the page cache off,
   ``PUBLIC_PAGE_CACHE_SECONDS=0``: only a real signed-in session bypasses the cache, and a
   signed-in request would also render the editor's user bar).
6. A table with requests/s, latency p50/p99 and the ratios the design asks for:
   cached ≥ 0.6 × bare Django, uncached ≥ 1.0 × the Wagtail welcome page.

A figure below its target is reported as BELOW; the exit status is non-zero only when the bench
itself could not run. gunicorn processes are stopped on exit, Ctrl-C included. The two
databases are left in place for inspection and re-created by the next run; logs are in
``var/bench/logs``.

Environment: BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_CONNECTIONS (16), BENCH_THREADS (2),
BENCH_WORKERS (2), BENCH_NOTICES (200), BENCH_PG (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS_URL (redis://127.0.0.1:6379/15), BENCH_DB (fangfei_bench), BENCH_LOADGEN (``python`` forces the fallback).
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
LOGS = VAR / "logs"
WAGTAILREF_DIR = VAR / "wagtailref"
MEDIA_DIR = VAR / "media"  # load_demo's posters and their renditions stay out of media/
BIN = Path(sys.executable).parent  # the venv's bin: `make bench` runs $(BIN)/python

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
NOTICES = int(os.environ.get("BENCH_NOTICES", "200"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
# BENCH_DB names the site database, so two people benching on one server keep apart.
DB_SITE = os.environ.get("BENCH_DB", "fangfei_bench")
DB_WAGTAILREF = f"{DB_SITE}_wagtailref"

CACHED_TARGET = 0.6  # × bare Django
UNCACHED_TARGET = 1.0  # × Wagtail welcome page
# The uncached figures come from a server with the page cache off.
NO_PAGE_CACHE = {"PUBLIC_PAGE_CACHE_SECONDS": "0"}

STARTED = time.monotonic()


class BenchError(Exception):
    """The bench itself could not run (as opposed to a figure missing its target)."""


def say(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def log_tail(path, lines=25):
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    " + line for line in text[-lines:])


def run_step(name, cmd, env, cwd=ROOT, log=None, check=True):
    """Run ``cmd`` with its output in ``var/bench/logs/<log>.log``; return (returncode, log path)."""
    log_path = LOGS / f"{log or name}.log"
    started = time.monotonic()
    with open(log_path, "w") as out:
        proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    say(
        f"{name}: {'ok' if proc.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.1f}s"
    )
    if check and proc.returncode != 0:
        raise BenchError(
            f"{name} failed (exit {proc.returncode}), {log_path}:\n{log_tail(log_path)}"
        )
    return proc.returncode, log_path


def json_line(path):
    """Return the payload of the last ``BENCH-JSON`` line in the file at ``path``."""
    for line in reversed(Path(path).read_text(errors="replace").splitlines()):
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise BenchError(f"no result in {path}:\n{log_tail(path)}")


# ----------------------------------------------------------------------------------------
# Environments
# ----------------------------------------------------------------------------------------
def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BENCH_"))}
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "PYTHONPATH"):
        env.pop(name, None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# Production refuses to start without a key for tip-off reporters' identities; the bench
# site's data is made fresh each run, so a key made fresh each run serves.
TIPOFF_KEY = Fernet.generate_key().decode()


def site_env(secret_key):
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "TIPOFF_ENCRYPTION_KEYS": TIPOFF_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{DB_SITE}",
        "REDIS_URL": REDIS_URL,
        # production.py redirects every request to https unless told otherwise.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": "memory://",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_MEDIA_ROOT": str(MEDIA_DIR),
    }


def bare_django_env(secret_key):
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "bench.bare_django.settings",
        "DJANGO_SECRET_KEY": secret_key,
    }


def wagtailref_env(secret_key):
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "wagtailref.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{DB_WAGTAILREF}",
    }


# ----------------------------------------------------------------------------------------
# Preparation
# ----------------------------------------------------------------------------------------
def recreate_database(name):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            ).format(sql.Identifier(name))
        )


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def prepare_site(env):
    """Migrate, collect static files, load the demo content and add listing volume."""
    python = str(BIN / "python")
    run_step(
        "site: migrate", [python, "manage.py", "migrate", "--noinput"], env, log="site-migrate"
    )
    run_step(
        "site: collectstatic",
        [python, "manage.py", "collectstatic", "--noinput"],
        env,
        log="site-collectstatic",
    )
    code, log = run_step(
        "site: load_demo",
        [python, "manage.py", "load_demo"],
        env,
        log="site-load_demo",
        check=False,
    )
    notes = []
    if code != 0:
        # Measure what there is rather than nothing; the summary says the demo is missing.
        notes.append(f"load_demo failed (exit {code}); see {log}")
        say(f"WARNING: load_demo failed (exit {code}), {log}:\n{log_tail(log, 12)}")
    _, log = run_step(
        f"site: seed {NOTICES} notices",
        [python, "-m", "bench.seed", "--notices", str(NOTICES)],
        env,
        log="site-seed",
    )
    seeded = json_line(log)
    if seeded["created"]:
        notes.append("bench.seed had to create: " + ", ".join(seeded["created"]))
    return notes


LOCAL_SETTINGS = '''"""Written by bench/run.py: production-ish settings from the environment."""

import os

import dj_database_url

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
# The same connection handling as the site (persistent, health-checked), so the comparison
# is about the work each project does per request, not about connecting to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
}
'''


def site_ready(secret):
    """Return True when the site database already holds the demo (a quiz page) and is migrated."""
    import psycopg

    try:
        with psycopg.connect(f"{PG}/{DB_SITE}") as conn:
            found = conn.execute(
                "SELECT 1 FROM quiz_quizpage q JOIN wagtailcore_page p ON p.id = q.page_ptr_id "
                "WHERE p.live LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return False
    if not found:
        return False
    python = str(BIN / "python")
    code, _ = run_step(
        "site: migrate", [python, "manage.py", "migrate", "--noinput"], site_env(secret),
        log="site-migrate", check=False,
    )  # fmt: skip
    return code == 0


def ensure_site(secret):
    """Prepare the site database as step 1 does, unless it already holds the demo (the quiz
    and peak benches run after this one in `make bench`, or alone with BENCH_FRESH=1 to
    start afresh). Returns notes for the report."""
    LOGS.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_FRESH") != "1" and site_ready(secret):
        return []
    recreate_database(DB_SITE)
    flush_redis()
    say(f"database {DB_SITE} re-created; Redis {REDIS_URL} flushed")
    return prepare_site(site_env(secret))


def prepare_wagtailref(env):
    """Generate a bare ``wagtail start`` project, point it at PostgreSQL, migrate it."""
    if WAGTAILREF_DIR.exists():
        shutil.rmtree(WAGTAILREF_DIR)
    WAGTAILREF_DIR.mkdir(parents=True)
    run_step(
        "wagtailref: wagtail start",
        [str(BIN / "wagtail"), "start", "wagtailref", str(WAGTAILREF_DIR)],
        env,
        log="wagtailref-start",
    )
    # production.py ends with `from .local import *`, the project's own override hook.
    (WAGTAILREF_DIR / "wagtailref" / "settings" / "local.py").write_text(LOCAL_SETTINGS)
    python = str(BIN / "python")
    run_step(
        "wagtailref: migrate",
        [python, "manage.py", "migrate", "--noinput"],
        env,
        cwd=WAGTAILREF_DIR,
        log="wagtailref-migrate",
    )
    run_step(
        "wagtailref: collectstatic",
        [python, "manage.py", "collectstatic", "--noinput"],
        env,
        cwd=WAGTAILREF_DIR,
        log="wagtailref-collectstatic",
    )


def in_background(fn, *args):
    """Run ``fn(*args)`` in a thread; return a function that joins it and re-raises."""
    outcome = {}

    def target():
        try:
            fn(*args)
        except BaseException as exc:  # re-raised in the main thread by wait()
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in outcome:
            raise outcome["error"]

    return wait


def ensure_wrk():
    """Return the path of wrk, installing the Debian package when missing; None if impossible.

    BENCH_LOADGEN=python skips wrk and uses the Python load generator.
    """
    if os.environ.get("BENCH_LOADGEN") == "python":
        return None
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid"):
        prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if prefix is not None:
            say("wrk missing: installing the Debian package")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
                log = f"apt-get-{cmd[1]}"
                code, _ = run_step(" ".join(cmd), prefix + cmd, env, log=log, check=False)
                if code:
                    break
    return shutil.which("wrk")


# ----------------------------------------------------------------------------------------
# Servers
# ----------------------------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name, app, env, cwd):
        self.name, self.app, self.env, self.cwd = name, app, env, cwd
        self.port = free_port()
        self.proc = self.log_file = None
        self.log = LOGS / f"gunicorn-{name}.log"

    def start(self):
        cmd = [
            str(BIN / "gunicorn"),
            "--workers", str(WORKERS),
            "--threads", "1",
            "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            "--chdir", str(self.cwd),
            self.app,
        ]  # fmt: skip
        self.log_file = open(self.log, "w")  # closed by stop()
        # A session of its own: Ctrl-C reaches only this script, which stops the group.
        self.proc = subprocess.Popen(
            cmd,
            env=self.env,
            cwd=self.cwd,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(
                    f"gunicorn for {self.name} exited ({self.proc.returncode}):\n{log_tail(self.log)}"
                )
            try:
                fetch(self.port, "/")
                return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"gunicorn for {self.name} not answering after {timeout}s")

    def stop(self):
        if self.log_file is not None:
            self.log_file.close()
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the master and its workers
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


def fetch(port, path, headers=None):
    """GET ``path``; return (status, headers dict with lower-case names, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# ----------------------------------------------------------------------------------------
# Load
# ----------------------------------------------------------------------------------------
def load(wrk, port, path, headers, seconds):
    """Return wrk_report.lua's fields for ``seconds`` of load on ``path``."""
    if wrk is None:
        from bench import loadgen

        return loadgen.run("127.0.0.1", port, path, headers, seconds, CONNECTIONS, THREADS)
    cmd = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd += ["-s", str(BENCH_DIR / "wrk_report.lua"), f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise BenchError(f"wrk gave no result for {path}: {out.stdout[-500:]} {out.stderr[-500:]}")


class Target:
    """One URL to load, in one mode; collects the load slices measured for it."""

    def __init__(self, label, server, path, mode):
        self.label, self.server, self.path, self.mode = label, server, path, mode
        self.headers = {}
        self.slices, self.notes, self.error = [], [], None

    def check(self):
        """Request the URL as the load will; return False (and say why) when it cannot be loaded."""
        status, headers, _ = fetch(self.server.port, self.path, self.headers)
        if self.mode == "cached":
            status, headers, _ = fetch(self.server.port, self.path, self.headers)
            x_cache = headers.get("x-cache", "none")
            if x_cache != "HIT" and f"X-Cache: {x_cache}" not in self.notes:
                self.notes.append(f"X-Cache: {x_cache}")
        elif self.mode == "uncached" and "x-cache" in headers:
            self.notes.append(f"X-Cache: {headers['x-cache']} with the page cache off")
        if status != 200:
            self.error = f"HTTP {status}"
            say(f"{self.label} ({self.mode}) {self.path}: HTTP {status}, not loaded")
            return False
        return True

    def load_slice(self, wrk, seconds, warmup=0):
        if self.error or not self.check():
            return
        if warmup:
            load(wrk, self.server.port, self.path, self.headers, warmup)
        result = load(wrk, self.server.port, self.path, self.headers, seconds)
        self.slices.append(result)
        rps = result["requests"] / (result["duration_us"] / 1e6)
        say(f"{self.label} ({self.mode}) {self.path}: {rps:.0f} req/s")

    @property
    def rps(self):
        """Requests per second over every slice, or None when nothing was measured."""
        duration = sum(r["duration_us"] for r in self.slices)
        return sum(r["requests"] for r in self.slices) / (duration / 1e6) if duration else None

    @property
    def spread(self):
        """Half the difference between the slices' req/s, as a fraction of the mean."""
        figures = [r["requests"] / (r["duration_us"] / 1e6) for r in self.slices]
        if len(figures) < 2:
            return None
        return (max(figures) - min(figures)) / 2 / (sum(figures) / len(figures))

    def latency_ms(self, name):
        """The request-weighted mean of the slices' percentile ``name`` (approximate)."""
        total = sum(r["requests"] for r in self.slices)
        return sum(r[name] * r["requests"] for r in self.slices) / total / 1000 if total else 0

    @property
    def errors(self):
        return sum(v for r in self.slices for k, v in r.items() if k.startswith("errors_"))


def run_load(wrk, targets):
    """Load every target for SECONDS in two slices, in order then in reverse order.

    On a machine shared with other work the throughput drifts; the second pass in reverse
    order gives every URL the same average position in time, so a steady drift cancels out
    of the ratios, and the two slices' difference shows how noisy each figure is.
    """
    first = max(1, SECONDS // 2)
    for target in targets:
        target.load_slice(wrk, first, warmup=WARMUP)
    for target in reversed(targets):
        target.load_slice(wrk, max(1, SECONDS - first))


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------
def verdict(ratio, target):
    return "PASS" if ratio >= target else "BELOW"


def print_load_table(targets, refs):
    references = {
        "cached": (refs["bare_django"], "bare Django", CACHED_TARGET),
        "uncached": (refs["wagtail_welcome"], "Wagtail welcome", UNCACHED_TARGET),
        "partner": (refs["bare_django"], "bare Django", None),
    }
    header = (
        f"{'page':<21} {'path':<30} {'mode':<9} {'req/s':>6} {'±':>4} {'p50 ms':>6} "
        f"{'p99 ms':>6}  {'ratio':>5}  {'of':<15} {'target':>6}  verdict"
    )
    print(header)
    print("-" * len(header))
    for t in targets:
        path = t.path if len(t.path) <= 30 else t.path[:27] + "..."
        line = f"{t.label:<21} {path:<30} {t.mode:<9} "
        if t.rps is None:
            print(line + (t.error or "no result") + "".join(f"  [{n}]" for n in t.notes))
            continue
        spread = f"{t.spread * 100:.0f}%" if t.spread is not None else ""
        line += (
            f"{t.rps:>6.0f} {spread:>4} {t.latency_ms('p50_us'):>6.1f} "
            f"{t.latency_ms('p99_us'):>6.1f}  "
        )
        reference, name, target = references.get(t.mode, (None, "", None))
        if reference is not None and reference.rps:
            ratio = t.rps / reference.rps
            line += f"{ratio:>5.2f}  {name:<15} "
            if target is not None:
                line += f"{'≥ ' + format(target, '.1f'):>6}  {verdict(ratio, target)}"
        notes = t.notes + ([f"{t.errors} errors"] if t.errors else [])
        print(line.rstrip() + "".join(f"  [{n}]" for n in notes))
    print(
        "± is half the difference between the two slices of each figure; ratios compare "
        "figures measured at the same average time."
    )


def print_query_table(probe):
    print(
        f"SQL queries per uncached request (in-process, second request; "
        f"{probe['notices_listed']} current notices under the index):"
    )
    print(f"{'page':<34} {'path':<32} {'items':>5} {'status':>6} {'queries':>7}")
    for q in probe["queries"]:
        items = "" if q["items"] is None else q["items"]
        queries = "" if q["queries"] is None else q["queries"]
        print(f"{q['label']:<34} {q['path']:<32} {items:>5} {str(q['status']):>6} {queries:>7}")
    welcome = probe.get("welcome")
    if welcome:
        print(
            f"{'Wagtail welcome page (reference)':<34} {welcome['path']:<32} {'':>5} "
            f"{welcome['status']!s:>6} {welcome['queries']:>7}"
        )
    listing = [q for q in probe["queries"] if q["label"].startswith("notices index")]
    counts = {q["queries"] for q in listing}
    sizes = sorted({q["items"] for q in listing})
    if len(sizes) >= 2 and None not in counts:
        print(
            f"Notices index: {'/'.join(str(c) for c in sorted(counts))} queries for "
            f"{'/'.join(str(n) for n in sizes)} items listed: "
            + ("constant, PASS" if len(counts) == 1 else "grows with the items listed, BELOW")
        )


def print_report(targets, refs, probe, notes, load_tool, loads):
    print()
    print(
        f"Load: {load_tool}, {THREADS} threads, {CONNECTIONS} connections, {WARMUP}s warm-up "
        f"then {SECONDS}s per URL in two passes; gunicorn sync, {WORKERS} workers x 1 thread; "
        f"{os.cpu_count()} CPUs; load average {loads[0]:.2f} at start, {loads[1]:.2f} at end."
    )
    if loads[0] > (os.cpu_count() or 1) * 0.5:
        # The end figure includes this bench's own servers and load; the start one does not.
        print(
            "NOTE: other processes were busy on this machine when the bench started; absolute "
            "figures may be low and ratios noisy (see the ± column)."
        )
    print_load_table(targets, refs)
    print()
    print_query_table(probe)
    for note in notes:
        print(f"NOTE: {note}")


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------
def bench(servers):
    LOGS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(MEDIA_DIR, ignore_errors=True)
    secret = secrets.token_urlsafe(48)[:64]
    load_start = os.getloadavg()[0]
    say(f"bench: {SECONDS}s per URL; logs in {LOGS.relative_to(ROOT)}")

    wrk = ensure_wrk()
    load_tool = f"wrk ({wrk})" if wrk else "Python load generator (wrk unavailable)"
    say(f"load generator: {load_tool}")

    for name in (DB_SITE, DB_WAGTAILREF):
        recreate_database(name)
    flush_redis()
    say(f"databases {DB_SITE}, {DB_WAGTAILREF} re-created; Redis {REDIS_URL} flushed")

    wait_wagtailref = in_background(prepare_wagtailref, wagtailref_env(secret))
    notes = prepare_site(site_env(secret))
    wait_wagtailref()

    _, log = run_step(
        "site: probe",
        [str(BIN / "python"), "-m", "bench.probe"],
        {**site_env(secret), **NO_PAGE_CACHE},
        log="site-probe",
    )
    probe = json_line(log)
    urls = probe["urls"]
    _, log = run_step(
        "wagtailref: probe",
        [str(BIN / "python"), "-m", "bench.probe", "/"],
        {**wagtailref_env(secret), "PYTHONPATH": str(ROOT)},
        cwd=WAGTAILREF_DIR,
        log="wagtailref-probe",
    )
    probe["welcome"] = json_line(log)[0]

    site = Server("site", "website.wsgi:application", site_env(secret), ROOT)
    site_uncached = Server(
        "site_uncached", "website.wsgi:application", {**site_env(secret), **NO_PAGE_CACHE}, ROOT
    )
    bare = Server(
        "bare_django", "bench.bare_django.wsgi:application", bare_django_env(secret), ROOT
    )
    ref = Server(
        "wagtailref", "wagtailref.wsgi:application", wagtailref_env(secret), WAGTAILREF_DIR
    )
    servers.extend([site, site_uncached, bare, ref])
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready()
    say(f"gunicorn up: site :{site.port}, bare Django :{bare.port}, Wagtail welcome :{ref.port}")

    refs = {
        "bare_django": Target("bare Django", bare, "/", "reference"),
        "wagtail_welcome": Target("Wagtail welcome page", ref, "/", "reference"),
    }
    targets = list(refs.values())
    pages = [
        ("home", urls["home"]),
        ("risk notice", urls["notice"]),
        ("case study", urls["case"]),
        ("notices index", urls["notice_index"]),
    ]
    for label, path in pages:
        if not path:
            notes.append(f"no {label} page in the demo content; not measured")
            continue
        targets += [
            Target(label, site, path, "cached"),
            Target(label, site_uncached, path, "uncached"),
        ]
    # What media partners fetch on every view of their own pages; each keeps its own
    # content-versioned cache (the page cache skips them), so they are measured as served.
    targets += [
        Target(label, site, path, "partner")
        for label, path in (
            ("embed: notices", "/embed/notices/"),
            ("RSS: notices", "/feeds/notices/rss/"),
            (
                "oEmbed: notice",
                "/oembed?url=" + quote(f"http://localhost{urls['notice']}", safe=""),
            ),
            ("API: notices", "/api/v2/pages/?type=pages.RiskNoticePage&fields=level"),
        )
        if path
    ]
    run_load(wrk, targets)

    print_report(targets, refs, probe, notes, load_tool, (load_start, os.getloadavg()[0]))


def main():
    servers = []

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    code = 0
    try:
        bench(servers)
    except KeyboardInterrupt:
        say("interrupted")
        code = 130
    except BenchError as exc:
        say(f"BENCH BROKE: {exc}")
        code = 1
    finally:
        for server in servers:
            server.stop()
        if servers:
            say("gunicorn stopped")
    say(
        f"done in {time.monotonic() - STARTED:.0f}s; databases {DB_SITE} and {DB_WAGTAILREF} "
        "left in place (re-created by the next run)"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
