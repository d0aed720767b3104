"""The client's address, for every limit (placeholder until the shared limits module lands).

Only ``client_ip`` lives here for now, copied from ``campaigns.sms.limits`` so django-axes and
the unsubscribe limit can name one stable import path.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """Return the client's IP address as a string ("" when there is none that parses).

    REMOTE_ADDR unless SMS_TRUSTED_PROXY_COUNT proxies we run sit in front of us: then the
    address the outermost of them saw, counted from the right of X-Forwarded-For (entries
    further left are whatever the client chose to send).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "SMS_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote.strip()))
    except ValueError:
        return ""
