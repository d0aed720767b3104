"""`make bench`, quiz part: answers submitted per second on the production server.

Uses the site database that ``bench.run`` prepared (its demo quizzes), serves it with
gunicorn and production settings, and has client threads take quizzes through the real
forms: GET the question, POST an answer (CSRF and all), follow the redirect. The per-client
throttle is lifted for the run (one machine is every client here).

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


def take_quizzes(port, quiz_path, deadline, counts, errors):
    client = Browser(port)
    while time.monotonic() < deadline:
        status, _, page = client.request("GET", quiz_path)
        start = FORM.search(page)
        token = CSRF.search(page)
        if status != 200 or not (start and token):
            errors.append(f"quiz page {status}")
            return
        status, location, _ = client.request(
            "POST", start.group(1), {"csrfmiddlewaretoken": token.group(1)}
        )
        while (
            status in (301, 302, 303) and "/result/" not in location and time.monotonic() < deadline
        ):
            path = urllib.parse.urlsplit(location).path
            status, _, page = client.request("GET", path)
            choice, token = CHOICE.search(page), CSRF.search(page)
            if status != 200 or not (choice and token):
                errors.append(f"question page {status}")
                return
            status, location, _ = client.request(
                "POST", path, {"csrfmiddlewaretoken": token.group(1), "choice": choice.group(1)}
            )
            if status in (301, 302, 303):
                counts.append(1)
            if status in (301, 302, 303) and "/explain/" in location:
                # The explanation shown right after each answer: read it, follow its link.
                status, _, page = client.request("GET", urllib.parse.urlsplit(location).path)
                onward = NEXT.search(page)
                location = html.unescape(onward.group(1)) if onward else ""
                status = 302 if onward else status
            else:
                errors.append(f"answer {status}")
                return


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
    server = Server("quiz", "website.wsgi", env, ROOT)
    server.start()
    try:
        server.wait_ready()
        counts, errors = [], []
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(
                target=take_quizzes, args=(server.port, path, deadline, counts, errors)
            )
            for _ in range(CLIENTS)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    print("\nQuiz (production server, gunicorn sync ×2, PostgreSQL, Redis)")
    print(
        f"  answers submitted   {len(counts) / elapsed:8.1f} /s  ({len(counts)} in {elapsed:.1f} s, "
        f"{CLIENTS} clients each GET question + POST answer){'  errors: ' + str(errors[:3]) if errors else ''}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
