"""Subscribers and SMS blasts (one module each)."""

from .blasts import BlastAuditLog, SmsBlast, SmsDelivery
from .subscribers import ConsentRecord, StaffAlert, Subscriber, VerificationCode

__all__ = [
    "BlastAuditLog",
    "ConsentRecord",
    "SmsBlast",
    "SmsDelivery",
    "StaffAlert",
    "Subscriber",
    "VerificationCode",
]
