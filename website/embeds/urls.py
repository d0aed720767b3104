from django.urls import path, re_path

from quiz.models import TOKEN_PATTERN
from website.embeds import oembed, views

app_name = "embeds"

urlpatterns = [
    path("embed/notices/", views.notices, name="notices"),
    path("embed/kiosk/", views.kiosk, name="kiosk"),
    path("embed/page/<int:page_id>/", views.page_card, name="page"),
    path("embed/quiz/<int:page_id>/", views.quiz_start, name="quiz"),
    re_path(
        rf"^embed/quiz/(?P<page_id>[0-9]+)/a/(?P<token>{TOKEN_PATTERN})/(?P<number>[0-9]{{1,3}})/$",
        views.quiz_question,
        name="quiz_question",
    ),
    re_path(
        rf"^embed/quiz/(?P<page_id>[0-9]+)/a/(?P<token>{TOKEN_PATTERN})/result/$",
        views.quiz_result,
        name="quiz_result",
    ),
    # The spec's examples have no trailing slash; consumers differ, so both answer.
    re_path(r"^oembed/?$", oembed.oembed, name="oembed"),
]
