"""Page types of the public site, one module each."""

from .case_studies import CaseStudyIndexPage, CaseStudyPage, CaseStudyPageTag
from .home import HomePage
from .risk_notices import RiskNoticeIndexPage, RiskNoticePage, RiskNoticePageTag
from .standard import StandardPage

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
