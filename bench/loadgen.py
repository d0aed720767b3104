"""A small HTTP load generator, used only when ``wrk`` is missing and cannot be installed.

``processes`` worker processes each run ``connections / processes`` threads; every thread
sends GET requests over ``http.client`` (keep-alive when the server allows it; gunicorn's sync
worker closes after each response, so then each request opens a connection, as with wrk) until
the deadline. Returns the same fields as ``bench/wrk_report.lua``. Python is slower than wrk at
this, so on a small machine the figures are lower for every server alike; ratios stay usable.
"""

import http.client
import multiprocessing
import threading
import time


def _thread(host, port, path, headers, deadline, out):
    latencies, errors_status, errors_other, received = [], 0, 0, 0
    conn = None
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            received += len(body)
            if not 200 <= response.status < 400:
                errors_status += 1
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            errors_other += 1
            if conn is not None:
                conn.close()
            conn = None
            continue
        latencies.append(time.perf_counter() - start)
    if conn is not None:
        conn.close()
    out.append((latencies, errors_status, errors_other, received))


def _process(host, port, path, headers, seconds, threads, queue):
    deadline = time.perf_counter() + seconds
    out = []
    workers = [
        threading.Thread(target=_thread, args=(host, port, path, headers, deadline, out))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies = [value for part in out for value in part[0]]
    queue.put(
        (
            latencies,
            sum(part[1] for part in out),
            sum(part[2] for part in out),
            sum(part[3] for part in out),
        )
    )


def run(host, port, path, headers, seconds, connections=16, processes=2):
    """Load ``http://host:port/path`` for ``seconds``; return wrk_report.lua's fields."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    threads = max(1, connections // processes)
    started = time.perf_counter()
    procs = [
        ctx.Process(target=_process, args=(host, port, path, headers, seconds, threads, queue))
        for _ in range(processes)
    ]
    for proc in procs:
        proc.start()
    parts = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    duration = time.perf_counter() - started
    latencies = sorted(value for part in parts for value in part[0])

    def percentile(p):
        if not latencies:
            return 0
        return int(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1e6)

    return {
        "requests": len(latencies),
        "duration_us": int(duration * 1e6),
        "bytes": sum(part[3] for part in parts),
        "errors_connect": sum(part[2] for part in parts),
        "errors_read": 0,
        "errors_write": 0,
        "errors_status": sum(part[1] for part in parts),
        "errors_timeout": 0,
        "p50_us": percentile(50),
        "p90_us": percentile(90),
        "p99_us": percentile(99),
        "max_us": int(latencies[-1] * 1e6) if latencies else 0,
    }
