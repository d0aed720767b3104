"""Content-Security-Policy: django-csp's policy for the public site, a looser one for the admin.

Public pages run only scripts served by the site itself (``script-src 'self'``: no inline
scripts, no ``on…=`` handlers). Wagtail's admin writes inline scripts, so it gets a policy
that blocks plugins, ``<base>`` rewriting and foreign form targets without touching scripts.
A view that sets its own policy (the /embed/ widgets) keeps it.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Must sit inside (after) FrameAncestorsMiddleware, which adds frame-ancestors to the
    policy written here."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_CSP_PREFIXES)
        ):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts
