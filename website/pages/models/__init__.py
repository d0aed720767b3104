"""Page types of the public site, one module each."""

from website.pages.models.case_studies import CaseStudyIndexPage, CaseStudyPage, CaseStudyPageTag
from website.pages.models.home import HomePage
from website.pages.models.risk_notices import RiskNoticeIndexPage, RiskNoticePage, RiskNoticePageTag
from website.pages.models.standard import StandardPage

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CaseStudyPageTag",
    "HomePage",
    "RiskNoticeIndexPage",
    "RiskNoticePage",
    "RiskNoticePageTag",
    "StandardPage",
]
