"""Subscribers, SMS blasts, campaign pages and 七进 outreach (one module each)."""

from campaigns.models.blast_tools import SmsSegment, SmsTemplate
from campaigns.models.blasts import BlastAuditLog, SmsBlast, SmsDelivery
from campaigns.models.campaign_pages import CampaignIndexPage, CampaignPage, CampaignRelatedPage
from campaigns.models.outreach import (
    CoverageTarget,
    EventReminder,
    OutreachChannel,
    OutreachEvent,
    OutreachEventPhoto,
)
from campaigns.models.print_batches import PrintBatch
from campaigns.models.sms_settings import SmsSettings
from campaigns.models.staff_sms import StaffSms
from campaigns.models.subscribers import (
    ConsentRecord,
    StaffAlert,
    Subscriber,
    VerificationCode,
    WelcomeMessage,
)

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
    "PrintBatch",
    "SmsBlast",
    "SmsDelivery",
    "SmsSegment",
    "SmsSettings",
    "SmsTemplate",
    "StaffAlert",
    "StaffSms",
    "Subscriber",
    "VerificationCode",
    "WelcomeMessage",
]
