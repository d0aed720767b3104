"""Wagtail hooks of campaign pages: the home page asks for the campaign running now."""

from wagtail import hooks

from campaigns.models.campaign_pages import current_campaign


@hooks.register("current_campaign")
def campaign_for_home(request):
    return current_campaign(request)
