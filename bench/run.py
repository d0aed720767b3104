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
   load generator in ``bench/loadgen.py``): for each URL a warm-up, then ``BENCH_SECONDS``.
   Public pages are measured cached (a plain anonymous request; ``X-Cache: HIT`` checked first)
   and uncached (``Cookie: sessionid=bench``, which the page cache middleware passes through).
6. A table with requests/s, latency p50/p99 and the ratios the design asks for:
   cached ≥ 0.6 × bare Django, uncached ≥ 1.0 × the Wagtail welcome page.

A figure below its target is reported as BELOW; the exit status is non-zero only when the bench
itself could not run. gunicorn processes are stopped on exit, Ctrl-C included. The two
databases are left in place for inspection and re-created by the next run; logs are in
``var/bench/logs``.

Environment: BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_CONNECTIONS (16), BENCH_THREADS (2),
BENCH_WORKERS (2), BENCH_NOTICES (200), BENCH_PG (postgres://postgres@127.0.0.1:5432),
BENCH_REDIS_URL (redis://127.0.0.1:6379/15).
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

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
LOGS = VAR / "logs"
WAGTAILREF_DIR = VAR / "wagtailref"
BIN = Path(sys.executable).parent  # the venv's bin: `make bench` runs $(BIN)/python

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
NOTICES = int(os.environ.get("BENCH_NOTICES", "200"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
DB_SITE = "fangfei_bench"
DB_WAGTAILREF = "fangfei_bench_wagtailref"

CACHED_TARGET = 0.6  # × bare Django
UNCACHED_TARGET = 1.0  # × Wagtail welcome page
# The page cache middleware serves nobody with a session cookie from the cache; a key this
# short is invalid, so the session backend never even looks it up.
BYPASS_HEADERS = {"Cookie": "sessionid=bench"}

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


def site_env(secret_key):
    return {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{DB_SITE}",
        "REDIS_URL": REDIS_URL,
        # production.py redirects every request to https unless told otherwise.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": "memory://",
        "DJANGO_LOG_LEVEL": "WARNING",
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
    """Return the path of wrk, installing the Debian package when missing; None if impossible."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid"):
        prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if prefix is not None:
            say("wrk missing: installing the Debian package")
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
                code, _ = run_step(" ".join(cmd), prefix + cmd, env, log="apt-wrk", check=False)
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
        self.proc = None
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
        # A session of its own: Ctrl-C reaches only this script, which stops the group.
        self.proc = subprocess.Popen(
            cmd,
            env=self.env,
            cwd=self.cwd,
            stdout=open(self.log, "w"),  # noqa: SIM115 - closed with the process
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


def measure(wrk, label, server, path, mode):
    """Check the URL answers as expected, warm it up, load it; return a result row."""
    headers = BYPASS_HEADERS if mode == "uncached" else {}
    row = {"label": label, "server": server.name, "path": path, "mode": mode, "note": ""}
    status, response_headers, body = fetch(server.port, path, headers)
    if mode == "cached":
        status, response_headers, body = fetch(server.port, path, headers)
        x_cache = response_headers.get("x-cache", "none")
        if x_cache != "HIT":
            row["note"] = f"X-Cache: {x_cache} on the second request"
    elif mode == "uncached" and "x-cache" in response_headers:
        row["note"] = f"X-Cache: {response_headers['x-cache']} despite the session cookie"
    row["bytes"] = len(body)
    if status != 200:
        row["error"] = f"HTTP {status}"
        say(f"{label} ({mode}) {path}: HTTP {status}, not loaded")
        return row
    load(wrk, server.port, path, headers, WARMUP)
    result = load(wrk, server.port, path, headers, SECONDS)
    row.update(result)
    row["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    bad = sum(result[k] for k in result if k.startswith("errors_"))
    if bad:
        row["note"] = (row["note"] + f"; {bad} errors" if row["note"] else f"{bad} errors").strip()
    say(
        f"{label} ({mode}) {path}: {row['rps']:.0f} req/s{'  ' + row['note'] if row['note'] else ''}"
    )
    return row


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------
def verdict(ratio, target):
    if ratio is None:
        return ""
    return "PASS" if ratio >= target else "BELOW"


def print_report(rows, refs, probe, notes, load_tool):
    bare, welcome = refs.get("bare_django"), refs.get("wagtail_welcome")
    print()
    print(f"Load: {load_tool}, {THREADS} threads, {CONNECTIONS} connections, {SECONDS}s per URL "
          f"after {WARMUP}s warm-up; gunicorn sync, {WORKERS} workers × 1 thread each; "
          f"{os.cpu_count()} CPUs.")  # fmt: skip
    header = (
        f"{'page':<22} {'path':<30} {'mode':<9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}  "
        f"{'ratio':>6} {'reference':<17} {'target':>6}  verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        path = row["path"] if len(row["path"]) <= 30 else row["path"][:27] + "..."
        if "rps" not in row:
            print(
                f"{row['label']:<22} {path:<30} {row['mode']:<9} {row.get('error', 'no result'):>8}"
            )
            continue
        ratio = ref_name = target = None
        if row["mode"] == "cached" and bare and "rps" in bare:
            ratio, ref_name, target = row["rps"] / bare["rps"], "bare Django", CACHED_TARGET
        elif row["mode"] == "uncached" and welcome and "rps" in welcome:
            ratio, ref_name, target = (
                row["rps"] / welcome["rps"],
                "Wagtail welcome",
                UNCACHED_TARGET,
            )
        print(
            f"{row['label']:<22} {path:<30} {row['mode']:<9} {row['rps']:>8.0f} "
            f"{row['p50_us'] / 1000:>7.1f} {row['p99_us'] / 1000:>7.1f}  "
            + (
                f"{ratio:>6.2f} {ref_name:<17} {'≥' + format(target, '.1f'):>6}  {verdict(ratio, target)}"
                if ratio is not None
                else f"{'':>6} {'(reference)':<17}"
            )
            + (f"  [{row['note']}]" if row["note"] else "")
        )

    print()
    print(f"SQL queries per uncached request (in-process, {probe['notices_listed']} current notices "
          "under the index):")  # fmt: skip
    print(f"{'page':<34} {'path':<34} {'items':>5} {'status':>6} {'queries':>7}")
    for q in probe["queries"]:
        items = "" if q["items"] is None else q["items"]
        print(f"{q['label']:<34} {q['path']:<34} {items:>5} {str(q['status'])[:40]:>6} "
              f"{'' if q['queries'] is None else q['queries']:>7}")  # fmt: skip
    listing = [q for q in probe["queries"] if q["label"].startswith("notices index")]
    counts = {q["queries"] for q in listing}
    sizes = {q["items"] for q in listing}
    if len(listing) >= 2 and None not in counts:
        constant = len(counts) == 1
        print(
            f"Notices index: {sorted(counts)} queries for {sorted(sizes)} items listed: "
            + ("constant — PASS" if constant else "grows with the items listed — BELOW")
        )
    for note in notes:
        print(f"NOTE: {note}")


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------
def bench(servers):
    LOGS.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)[:64]
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

    _, log = run_step("site: probe", [str(BIN / "python"), "-m", "bench.probe"], site_env(secret),
                      log="site-probe")  # fmt: skip
    probe = json_line(log)
    urls = probe["urls"]

    site = Server("site", "website.wsgi:application", site_env(secret), ROOT)
    bare = Server(
        "bare_django", "bench.bare_django.wsgi:application", bare_django_env(secret), ROOT
    )
    ref = Server(
        "wagtailref", "wagtailref.wsgi:application", wagtailref_env(secret), WAGTAILREF_DIR
    )
    servers.extend([site, bare, ref])
    for server in servers:
        server.start()
    for server in servers:
        server.wait_ready()
    say(f"gunicorn up: site :{site.port}, bare Django :{bare.port}, Wagtail welcome :{ref.port}")

    refs = {
        "bare_django": measure(wrk, "bare Django", bare, "/", "reference"),
        "wagtail_welcome": measure(wrk, "Wagtail welcome page", ref, "/", "reference"),
    }
    rows = list(refs.values())
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
        for mode in ("cached", "uncached"):
            rows.append(measure(wrk, label, site, path, mode))

    print_report(rows, refs, probe, notes, load_tool)


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
