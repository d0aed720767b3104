from django.urls import path

from website.feeds import views

app_name = "feeds"
urlpatterns = [
    path(
        f"{section}/{fmt}/",
        views.feed_view,
        {"section": section, "fmt": fmt},
        name=f"{section}_{fmt}",
    )
    for section in ("notices", "cases")
    for fmt in ("rss", "atom")
]
