from wagtail.models import Site

from website.core.cache import cached_for_content
from website.core.display_mode import is_elder_mode
from website.core.models import ReportingSettings


def display_mode(request):
    """Expose ``elder_mode`` to every template."""
    return {"elder_mode": is_elder_mode(request)}


def _reporting_for(site):
    settings = ReportingSettings.for_site(site)
    report_page = settings.report_page
    return {
        "office_name": settings.office_name,
        "hotline": settings.hotline,
        "email": settings.email,
        "address": settings.address,
        "reporting_note": settings.reporting_note,
        "report_url": report_page.get_url() if report_page and report_page.live else "",
    }


def reporting(request):
    """Expose the reporting channels (举报渠道) as ``reporting``, cached per content version."""
    site = Site.find_for_request(request)
    if site is None:
        return {"reporting": {}}
    return {"reporting": cached_for_content(f"reporting:{site.pk}", lambda: _reporting_for(site))}
