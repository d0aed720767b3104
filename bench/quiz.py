"""`make bench`, quiz part: answers submitted per second on the production server.

Uses the site database that ``bench.run`` prepared (its demo quizzes), serves it with
gunicorn and production settings, and has client threads take quizzes through the real
forms as a phone without JavaScript does (``walk_attempt``): POST an answer (CSRF and all),
follow the redirect to its explanation, answer the next question from there (or follow its
link). The per-client throttle is lifted for the run (one machine is every client here).
Before the load, one attempt is taken in-process to count HTTP requests, SQL queries and Redis
round trips per answer: figures the shared machine's load cannot move.

Environment: BENCH_QUIZ_SECONDS (15), BENCH_QUIZ_CLIENTS (8), BENCH_WORKERS (2).
"""

import html
import http.client
import json
import os
import re
import secrets
import threading
import time
import urllib.parse

from bench.run import DB_SITE, ROOT, Server, site_env

SECONDS = int(os.environ.get("BENCH_QUIZ_SECONDS", "15"))
CLIENTS = int(os.environ.get("BENCH_QUIZ_CLIENTS", "8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'class="button-link quiz-primary quiz-next" href="([^"]+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')
FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"')


class Browser:
    """One client with its cookies over a keep-alive connection; ``request`` returns
    (status, Location, body)."""

    def __init__(self, port, address=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}
        # Behind the pretend proxy of bench.field, each client names its own address.
        self.address = address

    def request(self, method, path, form=None):
        headers = {"Host": "127.0.0.1"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.headers.get("Location", ""), data


def _process_cpu(keep):
    """Return the CPU seconds (user + system) used so far by the processes for which
    ``keep(ppid, command name)`` is true, read from /proc; 0.0 where /proc cannot say."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        pids = os.listdir("/proc")
    except OSError:
        return 0.0
    for pid in pids:
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                head, _, rest = f.read().rpartition(")")
        except OSError:
            continue
        fields = rest.split()
        # After the command name: state, ppid, ... utime and stime are the 12th and 13th.
        if keep(int(fields[1]), head.partition("(")[2]):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def worker_cpu_seconds(master_pid):
    """Return the CPU seconds used so far by the children of ``master_pid`` (gunicorn's
    workers).

    CPU time per participant is the figure a machine shared with other work moves least:
    latency there includes waiting for a core, CPU time mostly does not.
    """
    return _process_cpu(lambda ppid, _name: ppid == master_pid)


def service_cpu_seconds():
    """Return {service: CPU seconds used so far} for PostgreSQL and Redis on this machine: on
    a bench machine they serve the bench alone, and they share its cores."""
    return {
        "PostgreSQL": _process_cpu(lambda _ppid, name: name == "postgres"),
        "Redis": _process_cpu(lambda _ppid, name: name.startswith("redis-server")),
    }


def _answer_form(page):
    """Return (action, first choice id) of the question form in ``page``, or None."""
    form, choice = FORM.search(page), CHOICE.search(page)
    if not (form and choice) or "/a/" not in form.group(1):
        return None
    return html.unescape(form.group(1)), choice.group(1)


def walk_attempt(request, quiz_path, on_answer=None, keep_going=lambda: True):
    """Take one whole attempt through ``request(method, path, form)`` -> (status, Location,
    body) as a phone without JavaScript does: start, then for each question POST the first
    choice and go where the answer leads (its explanation, which may carry the next question's
    form; a "下一题" link; the next question; the result). Calls ``on_answer()`` after each
    accepted answer; returns (answers, error or None)."""
    status, _, page = request("GET", quiz_path, None)
    start, token = FORM.search(page), CSRF.search(page)
    if status != 200 or not (start and token):
        return 0, f"quiz page {status}"
    csrf = token.group(1)
    status, location, _ = request(
        "POST", html.unescape(start.group(1)), {"csrfmiddlewaretoken": csrf}
    )
    answers, page = 0, None
    while keep_going():
        if status in (301, 302, 303):
            if "/result/" in location:
                status, _, _ = request("GET", urllib.parse.urlsplit(location).path, None)
                return answers, None if status == 200 else f"result {status}"
            status, _, page = request("GET", urllib.parse.urlsplit(location).path, None)
            if status != 200:
                return answers, f"GET {location} {status}"
        form = _answer_form(page)
        if form is None:
            onward = NEXT.search(page)
            if not onward:
                return answers, f"no question and no way on ({status})"
            status, location = 302, html.unescape(onward.group(1))
            continue
        token = CSRF.search(page)
        csrf = token.group(1) if token else csrf
        status, location, page = request(
            "POST", form[0], {"csrfmiddlewaretoken": csrf, "choice": form[1]}
        )
        if status not in (200, 301, 302, 303):
            return answers, f"answer {status}"
        answers += 1
        if on_answer:
            on_answer()
    return answers, None


def take_quizzes(port, quiz_path, deadline, counts, errors):
    client = Browser(port)

    def request(method, path, form):
        return client.request(method, path, form)

    while time.monotonic() < deadline:
        _, error = walk_attempt(
            request, quiz_path, lambda: counts.append(1), lambda: time.monotonic() < deadline
        )
        if error:
            errors.append(error)
            return


def count_round_trips(quiz_path):
    """Take one attempt in-process (Django's test client, the server's settings) and return
    per answer: requests, SQL queries and Redis round trips (mean, and the least and most of
    any one answer, which stay equal when the cost per answer is constant)."""
    import redis.connection
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    sent = [0]
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, *args, **kwargs):
        sent[0] += 1  # one packed write is one round trip (a pipeline included)
        return original(self, *args, **kwargs)

    per_answer, current = [], {"requests": 0, "queries": 0, "redis": 0}

    def request(method, path, form):
        before = sent[0]
        with CaptureQueriesContext(connection) as captured:
            if method == "POST":
                response = client.post(path, form)
            else:
                response = client.get(path)
        current["requests"] += 1
        current["queries"] += len(captured.captured_queries)
        current["redis"] += sent[0] - before
        body = response.content.decode("utf-8", "replace") if response.streaming is False else ""
        return response.status_code, response.get("Location", ""), body

    def on_answer():
        per_answer.append(dict(current))
        current.update(requests=0, queries=0, redis=0)

    redis.connection.AbstractConnection.send_packed_command = counting
    try:
        # Warm per-process and shared caches; a random quiz draws from a larger bank, so
        # the bank's cache (where there is one) is filled whole rather than by chance.
        walk_attempt(request, quiz_path)
        try:
            from quiz import bank
            from quiz.models import Question

            bank.questions(Question.objects.filter(live=True).values_list("pk", flat=True))
        except ImportError:  # code from before the cache
            pass
        per_answer.clear()
        current.update(requests=0, queries=0, redis=0)
        answers, error = walk_attempt(request, quiz_path, on_answer)
    finally:
        redis.connection.AbstractConnection.send_packed_command = original
    # Each row runs from the screen after one answer to the next answer's POST; the first
    # also holds the quiz page and the start, so it is left out.
    rows = per_answer[1:] or per_answer
    summary = {"answers": answers, "error": error}
    for name in ("requests", "queries", "redis"):
        values = [row[name] for row in rows]
        summary[name] = (sum(values) / len(values), min(values), max(values)) if values else None
    return summary


def main():
    env = site_env(secrets.token_urlsafe(48))
    env["QUIZ_THROTTLE_RATES"] = json.dumps(
        {"ip": [10**9, 60], "token": [10**9, 60], "start": [10**9, 600]}
    )
    os.environ.update(
        {k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE", "REDIS", "TIPOFF_"))}
    )
    import django

    django.setup()
    from quiz.models import QuizPage

    quiz = QuizPage.objects.live().order_by("pk").first()
    if quiz is None:
        print(f"quiz bench: no quiz in {DB_SITE}; run `python -m bench.run` first")
        return 1
    path = urllib.parse.urlsplit(quiz.get_url() or quiz.url_path).path
    trips = count_round_trips(path)
    server = Server("quiz", "website.wsgi", env, ROOT)
    server.start()
    try:
        server.wait_ready()
        # Two attempts first: each worker's first requests compile templates and fill caches.
        warm = Browser(server.port)
        for _ in range(2):
            walk_attempt(lambda m, p, f: warm.request(m, p, f), path)
        counts, errors = [], []
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(
                target=take_quizzes, args=(server.port, path, deadline, counts, errors)
            )
            for _ in range(CLIENTS)
        ]
        started = time.monotonic()
        cpu_before = worker_cpu_seconds(server.proc.pid)
        services_before, client_before = service_cpu_seconds(), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        cpu = worker_cpu_seconds(server.proc.pid) - cpu_before
        # What else took the two cores: this client (its threads) and the services.
        others = {"bench client": time.process_time() - client_before}
        others.update({k: v - services_before[k] for k, v in service_cpu_seconds().items()})
    finally:
        server.stop()
    print("\nQuiz (production server, gunicorn sync ×2, PostgreSQL, Redis)")
    print(
        f"  answers submitted   {len(counts) / elapsed:8.1f} /s  ({len(counts)} in {elapsed:.1f} s, "
        f"{CLIENTS} clients taking whole quizzes){'  errors: ' + str(errors[:3]) if errors else ''}"
    )
    if cpu and counts:
        print(
            f"  {'web workers CPU per answer':<32} {1000 * cpu / len(counts):5.1f} ms  "
            "(user + system of the gunicorn workers: the figure load moves least)"
        )
        for name, seconds in others.items():
            print(f"  {name + ' CPU per answer':<32} {1000 * seconds / len(counts):5.1f} ms")
    for name, label in (
        ("requests", "HTTP requests"),
        ("queries", "SQL queries"),
        ("redis", "Redis round trips"),
    ):
        if trips[name]:
            mean, least, most = trips[name]
            print(
                f"  {label + ' per answer':<32} {mean:5.1f}  (each answer {least}–{most}; in-process)"
            )
    if trips["error"]:
        print(f"  in-process walk stopped: {trips['error']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
