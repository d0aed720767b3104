from wagtail.models import Site

from website.core.cache import cached_for_content
from website.core.display_mode import is_elder_mode
from website.core.models import ReportingSettings, SiteSettings


def display_mode(request):
    """Expose ``elder_mode`` to every template."""
    return {"elder_mode": is_elder_mode(request)}


def _live_url(page):
    return page.get_url() if page is not None and page.live else ""


def _reporting_for(site):
    settings = ReportingSettings.for_site(site)
    return {
        "office_name": settings.office_name,
        "hotline": settings.hotline,
        "email": settings.email,
        "address": settings.address,
        "reporting_note": settings.reporting_note,
        "report_url": _live_url(settings.report_page),
    }


def _site_info_for(site):
    settings = SiteSettings.for_site(site)
    image = settings.share_image
    return {
        "after_paying_url": _live_url(settings.after_paying_page),
        "after_paying_title": settings.after_paying_page.title
        if settings.after_paying_page
        else "",
        "verify_url": _live_url(settings.verify_page),
        "verify_title": settings.verify_page.title if settings.verify_page else "",
        "privacy_url": _live_url(settings.privacy_page),
        "site_code": settings.site_code,
        "icp_number": settings.icp_number,
        "police_number": settings.police_number,
        "correction_email": settings.correction_email,
        "share_image_url": image.get_rendition("fill-600x600").url if image else "",
    }


def reporting_key(request):
    """Keyed by the address asked for (what finds the Site), so it is known before routing."""
    return f"reporting:{request._get_raw_host()}"


def reporting(request):
    """Expose the reporting channels (举报渠道) as ``reporting`` and the site information
    (网站信息: guides, privacy notice, identifiers) as ``site_info``, both cached per
    content version."""
    site = Site.find_for_request(request)
    if site is None:
        return {"reporting": {}, "site_info": {}}
    # One cache round trip for both (none for a page: routing reads them ahead).
    reporting, site_info = cached_for_content(
        reporting_key(request), lambda: (_reporting_for(site), _site_info_for(site))
    )
    return {"reporting": reporting, "site_info": site_info}
