"""`make test`: check the import layers, run every test tier whose parts are present, and
say loudly what was skipped.

First `lint-imports` checks the layer contracts of pyproject.toml ([tool.importlinter]): a
wrong-way import fails `make test` (its report is printed), though the tiers still run.

Tiers:
  fast      SQLite, in-process; always runs.
  services  the whole suite again on PostgreSQL with Redis as cache and broker, plus the
            tests that start a real `celery worker` subprocess.
  browser   headless Chromium driven by Playwright, with axe-core and phone screenshots.

With CI=true a tier whose parts are missing is a failure, not a skip.
"""

import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def banner(text):
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def postgres_missing():
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return None
    except Exception as exc:  # any failure to connect means the tier cannot run
        return f"PostgreSQL at {PG_URL}: {exc}".strip()


def redis_missing():
    if not port_open(REDIS_HOST, REDIS_PORT):
        return f"Redis at {REDIS_HOST}:{REDIS_PORT} is not reachable"
    return None


def browser_missing():
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"Python package missing: {exc.name}"
    return None


def lint_imports_command():
    """Return the command that runs import-linter from this interpreter's environment."""
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    if found is None:
        return None
    # No cache: a stale one could hide an import added since, and nothing is left behind.
    return [found, "--no-cache"]


def check_import_layers():
    """Run lint-imports on the tree, printing its report; return its exit code (1 when it is
    not installed, which counts as a failure: the layers would go unchecked)."""
    banner("IMPORT LAYERS: lint-imports ([tool.importlinter] in pyproject.toml)")
    cmd = lint_imports_command()
    if cmd is None:
        print("lint-imports not found: pip install import-linter (in the dev extras)", flush=True)
        return 1
    # From the project root, so the tree's own packages are the ones analysed.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.call(cmd, cwd=ROOT, env=env)


def run_pytest(name, marker, env_extra):
    junit = ARTIFACTS / f"junit-{name}.xml"
    # A None value removes the variable, so a tier never inherits another's services.
    env = {k: v for k, v in {**os.environ, **env_extra}.items() if v is not None}
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-m",
        marker,
        f"--junitxml={junit}",
        "-p",
        "no:cacheprovider",
    ]
    if name == "services":
        cmd.append("--create-db")  # never reuse a database a killed run left behind
    cmd += sys.argv[1:]
    banner(f"TIER {name}: pytest -m '{marker}'")
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if junit.exists():
        suite = ET.parse(junit).getroot()
        suites = [suite] if suite.tag == "testsuite" else list(suite)
        for s in suites:
            tests = int(s.get("tests", 0))
            failed = int(s.get("failures", 0)) + int(s.get("errors", 0))
            skipped = int(s.get("skipped", 0))
            counts["failed"] += failed
            counts["skipped"] += skipped
            counts["passed"] += tests - failed - skipped
    return code, counts


def main():
    ci = os.environ.get("CI", "").lower() == "true"
    ARTIFACTS.mkdir(exist_ok=True)
    results, missing_tiers = {}, {}

    layers_code = check_import_layers()

    results["fast"] = run_pytest(
        "fast",
        "not services and not browser",
        {
            "DATABASE_URL": None,
            "CACHE_URL": "locmem://",
            "REDIS_URL": None,
            "CELERY_BROKER_URL": "memory://",
        },
    )

    why = postgres_missing() or redis_missing()
    if why:
        missing_tiers["services"] = why
    else:
        results["services"] = run_pytest(
            "services",
            "not browser",
            {
                "DATABASE_URL": PG_URL,
                "CACHE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/14",
                "CELERY_BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/13",
                "FANGFEI_SERVICES": "1",
                "FANGFEI_TEST_DB_NAME": f"test_fangfei_{os.getpid()}",
                "CELERY_TASK_ALWAYS_EAGER": "0",
            },
        )

    why = browser_missing()
    if why:
        missing_tiers["browser"] = why
    else:
        results["browser"] = run_pytest(
            "browser",
            "browser",
            {
                "DATABASE_URL": None,
                "REDIS_URL": None,
                "CACHE_URL": "locmem://",
                "CELERY_BROKER_URL": "memory://",
                "FANGFEI_BROWSER": "1",
                # Playwright's sync API runs an event loop in the test thread; Django's ORM
                # refuses to run there unless told that this test process is single-threaded.
                "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            },
        )

    banner("SUMMARY")
    failed_tier = layers_code != 0
    print(
        f"  {'layers':9} {'OK' if layers_code == 0 else f'BROKEN (lint-imports exit {layers_code})'}"
    )
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for name, (code, counts) in results.items():
        for k in total:
            total[k] += counts[k]
        ok = code == 0
        failed_tier |= not ok
        print(f"  {name:9} {'OK' if ok else f'FAILED (pytest exit {code})'}  {counts}")
    for name, why in missing_tiers.items():
        print(f"  {name:9} {'MISSING — FAILS UNDER CI' if ci else 'SKIPPED'}: {why}")
        if ci:
            failed_tier = True
            total["failed"] += 1
    if missing_tiers and not ci:
        print("\n  !!! Some tiers were skipped because their services are missing (see above). !!!")
    print(
        f"\ntotal: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped"
    )
    sys.exit(1 if failed_tier else 0)


if __name__ == "__main__":
    main()
