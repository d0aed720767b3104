"""``manage.py quiz_bench``: time every quiz analytics report over a large answer table.

Run it on a throwaway database (it adds a benchmark quiz and its attempts)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quizbench \\
        python manage.py migrate && python manage.py quiz_bench --answers 1000000

It creates a random-draw quiz of 10 questions from the seeded bank under the home page,
bulk-creates completed attempts until the quiz has ``--answers`` answers (once; reruns
reuse them), then times each statistic and each admin report page rendered end to end
through Django's test client (SQL, Python and template, no network), and in-process
quiz submissions per second. Target (DESIGN.md): each report page ≤ 2 s.
"""

import datetime
import re
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from quiz import stats
from quiz.models import Answer, QuizPage
from quiz.synthetic import synthesize
from website.pages.models import HomePage
from website.taxonomy.models import Audience, Region

SLUG = "quiz-bench"
TARGET_SECONDS = 2.0


class Command(BaseCommand):
    help = "为知识测试统计做性能测试：生成大量答题记录并计时每个统计报表。"

    def add_arguments(self, parser):
        parser.add_argument("--answers", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=3, help="timed runs per report")
        parser.add_argument("--chunk", type=int, default=5000, help="attempts per insert batch")
        parser.add_argument("--submissions", type=int, default=200)

    def handle(self, *args, **options):
        quiz = self.bench_quiz()
        have = Answer.objects.filter(attempt__quiz=quiz).count()
        wanted = options["answers"]
        if have < wanted:
            attempts = (wanted - have + quiz.question_count - 1) // quiz.question_count
            self.stdout.write(f"Creating {attempts} attempts ({wanted - have} answers)…")
            started = time.monotonic()
            synthesize(
                quiz,
                attempts,
                seed=have + 1,
                days=365,
                chunk=options["chunk"],
                boost_audience=Audience.objects.filter(slug="elderly").first(),
                boost_region=Region.objects.filter(code="430922").first(),
                boost_after=timezone.now() - datetime.timedelta(days=60),
            )
            took = time.monotonic() - started
            self.stdout.write(f"  inserted in {took:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE quiz_attempt, quiz_answer, quiz_answerchoice")
        total = Answer.objects.count()
        self.stdout.write(
            f"Database: {connection.vendor}; answers in table: {total:,}; "
            f"answers of the bench quiz: {Answer.objects.filter(attempt__quiz=quiz).count():,}"
        )
        rows = self.time_statistics(quiz, options["repeat"])
        rows += self.time_pages(quiz, options["repeat"])
        self.print_rows(rows)
        self.time_submissions(quiz, options["submissions"])

    def bench_quiz(self):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("没有首页，请先运行 migrate。")
        quiz = QuizPage.objects.filter(slug=SLUG).first()
        if quiz is None:
            quiz = QuizPage(title="性能测试", slug=SLUG, question_count=10)
            home.add_child(instance=quiz)
            quiz.save_revision().publish()
            quiz.refresh_from_db()
        return quiz

    def _time(self, fn, repeat):
        fn()  # warm caches (and the planner)
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs), max(runs)

    def time_statistics(self, quiz, repeat):
        attempts = stats.completed_attempts(quiz)
        today = timezone.localdate()
        elderly = list(Audience.objects.filter(slug="elderly"))
        county = list(Region.objects.filter(code="430922"))

        def items_and_alpha():
            items = stats.item_statistics(attempts)
            stats.cronbach_alpha(attempts, items)

        cases = [
            ("stats: by audience", lambda: stats.by_audience(attempts)),
            ("stats: by region (rolled up)", lambda: stats.by_region(attempts)),
            ("stats: by week", lambda: stats.by_week(attempts)),
            ("stats: item statistics + alpha", items_and_alpha),
            (
                "stats: campaign effect",
                lambda: stats.campaign_effect(
                    today - datetime.timedelta(days=60), today, elderly, county, quiz=quiz
                ),
            ),
            ("stats: leaderboard", lambda: stats.leaderboard(quiz)),
        ]
        return [(name, *self._time(fn, repeat)) for name, fn in cases]

    def time_pages(self, quiz, repeat):
        User = get_user_model()
        user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "quizbench", "quizbench@example.invalid", None
        )
        client = Client()
        client.force_login(user)
        today = timezone.localdate()
        start = today - datetime.timedelta(days=60)
        elderly = Audience.objects.filter(slug="elderly").first()
        county = Region.objects.filter(code="430922").first()
        effect = (
            f"/admin/quiz/reports/effect/?start={start}&end={today}&quiz={quiz.pk}"
            f"&audiences={elderly.pk if elderly else ''}&regions={county.pk if county else ''}"
            "&min_count=10"
        )
        pages = [
            ("page: 参与与得分 (overview)", f"/admin/quiz/reports/?quiz={quiz.pk}"),
            ("page: 参与与得分, all quizzes", "/admin/quiz/reports/"),
            ("page: 题目分析 (items)", f"/admin/quiz/reports/items/?quiz={quiz.pk}"),
            ("page: 宣传效果 (effect)", effect),
            ("export: overview XLSX", f"/admin/quiz/reports/?quiz={quiz.pk}&export=xlsx"),
            ("public: leaderboard", quiz.url + "leaderboard/"),
        ]
        rows = []
        for name, url in pages:

            def get(url=url):
                response = client.get(url, HTTP_HOST="localhost")
                assert response.status_code == 200, (url, response.status_code)

            rows.append((name, *self._time(get, repeat)))
        return rows

    def print_rows(self, rows):
        self.stdout.write("")
        self.stdout.write(
            f"{'report':40} {'median s':>9} {'max s':>8}  target ≤ {TARGET_SECONDS} s"
        )
        for name, median, worst in rows:
            flag = "ok" if worst <= TARGET_SECONDS else "SLOW"
            self.stdout.write(f"{name:40} {median:9.3f} {worst:8.3f}  {flag}")

    def time_submissions(self, quiz, count):
        """Answer ``count`` questions through the test client, one POST each."""
        from django.test import override_settings

        big = {"ip": (10**9, 60), "token": (10**9, 60), "start": (10**9, 60)}
        with override_settings(QUIZ_THROTTLE_RATES=big):
            client = Client()
            done = 0
            started = time.perf_counter()
            while done < count:
                location = client.post(quiz.url, {}, HTTP_HOST="localhost")["Location"]
                while "/result/" not in location and done < count:
                    page = client.get(location, HTTP_HOST="localhost").content.decode()
                    choice = re.search(r'name="choice" value="(\d+)"', page).group(1)
                    location = client.post(location, {"choice": choice}, HTTP_HOST="localhost")[
                        "Location"
                    ]
                    done += 1
            took = time.perf_counter() - started
        self.stdout.write(
            f"\nquiz submissions in-process (GET question + POST answer, one client): "
            f"{done / took:.0f}/s ({done} in {took:.1f} s)"
        )
