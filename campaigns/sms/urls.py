"""Public SMS URLs, mounted at the site root (``/u/<token>`` is the short link in every SMS)."""

from django.urls import path, re_path

from campaigns.sms import views, webhooks

app_name = "campaigns"

urlpatterns = [
    path("sms/subscribe/", views.subscribe, name="subscribe"),
    path("sms/subscribe/verify/", views.verify, name="verify"),
    path("sms/subscribe/done/", views.done, name="done"),
    # sms_text.unsubscribe_url builds exactly "/u/<token>": keep this path short and slash-free.
    re_path(r"^u/(?P<token>[A-Za-z0-9_-]{1,32})/?$", views.unsubscribe, name="unsubscribe"),
    path("sms/webhooks/inbound/", webhooks.inbound_webhook, name="inbound_webhook"),
    path("sms/webhooks/receipts/", webhooks.receipts_webhook, name="receipts_webhook"),
]
