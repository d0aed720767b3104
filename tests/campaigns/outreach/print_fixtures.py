"""Content for the print-material tests: a severe notice and a case with red flags and a
pitch, a campaign showing the case, and an event of that campaign; reporting settings with
a hotline; a private print storage in a temporary folder."""

from wagtail.models import Site

from campaigns.models.campaign_pages import CampaignRelatedPage
from tests import factories
from tests.campaigns.outreach import factories as of
from website.core.models import ReportingSettings

FLAGS = ["承诺每月返息百分之三，保本保息", "拉亲友入会可拿提成", "没有金融许可证，只有营业执照"]


def signs(*flags):
    return {"type": "warning_signs", "value": {"heading": "识别要点", "signs": list(flags)}}


def storage_settings(location):
    """STORAGES with the private print storage at ``location``."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "print": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


def make_content():
    """Create the content and reporting settings; return the four subjects by kind."""
    settings = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hotline = "0737-1234567"
    settings.email = "jubao@example.cn"
    settings.address = "示范市人民路 1 号"
    settings.save()
    notice = factories.notice(
        "警惕“养老服务”高息揽储",
        level="severe",
        summary="近期有人以养老公寓床位预售为名，承诺高额回报，吸收老年人资金。",
    )
    notice.body = [signs(*FLAGS), *factories.body("请不要把养老钱交给没有许可的机构。")]
    notice.save_revision().publish()
    case = factories.case(
        "某“生态农业”合作社非法吸收公众存款案",
        summary="合作社以入股分红为名，向三百多名村民吸收资金，到期无法兑付。",
        outcome="主要负责人被判处有期徒刑五年，追回部分资金按比例退还。",
        victims=326,
    )
    case.body = [
        {
            "type": "pitch",
            "value": {"text": "入股一万元，一年分红两千，合作社有政府背书。", "medium": "村民大会"},
        },
        signs("以合作社名义向社会公众集资", "承诺固定高额分红"),
        *factories.body("合作社负责人在村里召开推介会。"),
    ]
    case.save_revision().publish()
    campaign = of.campaign(title="2026年防范非法集资宣传月")
    CampaignRelatedPage.objects.create(campaign=campaign, page=case)
    event = of.event(campaign, title="桃花江社区防非宣讲", attendance=None)
    return {"notice": notice, "case": case, "campaign": campaign, "event": event}
