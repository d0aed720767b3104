"""Subscribers, SMS blasts, campaign pages and 七进 outreach (one module each)."""

from .blasts import BlastAuditLog, SmsBlast, SmsDelivery
from .campaign_pages import CampaignIndexPage, CampaignPage, CampaignRelatedPage
from .outreach import (
    CoverageTarget,
    EventReminder,
    OutreachChannel,
    OutreachEvent,
    OutreachEventPhoto,
)
from .subscribers import ConsentRecord, StaffAlert, Subscriber, VerificationCode

__all__ = [
    "BlastAuditLog",
    "CampaignIndexPage",
    "CampaignPage",
    "CampaignRelatedPage",
    "ConsentRecord",
    "CoverageTarget",
    "EventReminder",
    "OutreachChannel",
    "OutreachEvent",
    "OutreachEventPhoto",
    "SmsBlast",
    "SmsDelivery",
    "StaffAlert",
    "Subscriber",
    "VerificationCode",
]
