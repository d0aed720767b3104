"""Demo content for the risk-lead ledger: this month's 重点风险线索统计表 filled with fictional
firms, the villages and communities of 桃花江镇 with their screening contacts, and this month's
screening filings with two villages still missing. Called once by ``load_demo``; does nothing
when leads already exist."""

from decimal import Decimal

from django.utils import timezone

from website.leads import from_report
from website.leads.models import (
    Lead,
    LeadSettings,
    RegionContact,
    ScreeningFiling,
    current_period,
)
from website.taxonomy.models import Region

TOWN = "430922100"  # 桃花江镇, from the seeded region tree
# Fictional villages added beside the two the region seed has: (code, name).
EXTRA_VILLAGES = [
    ("430922100202", "清溪村"),
    ("430922100203", "竹林村"),
    ("430922100004", "新桥社区"),
]
# (region code, contact, fictional mobile)
CONTACTS = [
    ("430922100001", "刘晓燕", "13900000101"),
    ("430922100201", "彭志刚", "13900000102"),
    ("430922100202", "龚丽华", "13900000103"),
    ("430922100203", "曹文斌", "13900000104"),
    ("430922100004", "谢美玲", "13900000105"),
]

D = Decimal
# One row per field of the form; every firm is invented.
LEADS = [
    {
        "region": "430922100201",
        "firm_name": "福寿康养咨询服务有限公司",
        "industry": "养老服务",
        "scheme": "预售养老床位，承诺年返利12%",
        "internet": Lead.Internet.OFFLINE,
        "amount": D("320.00"),
        "people": 86,
        "unpaid": D("245.50"),
        "cross_region": False,
        "measures": "约谈法定代表人，责令停止宣传，督促制定清退方案",
        "refund_status": Lead.Refund.REFUNDING,
        "refund_percent": D("23.28"),
        "outcome": "停业整改",
    },
    {
        "region": "430922100001",
        "firm_name": "鑫宝通数字科技有限公司",
        "industry": "电子商务",
        "scheme": "虚拟货币“矿机”认购，按日返币",
        "internet": Lead.Internet.ONLINE,
        "amount": D("1580.00"),
        "people": 412,
        "unpaid": D("1580.00"),
        "cross_region": True,
        "measures": "固定证据，移送县公安局立案侦查",
        "outcome": "移送公安",
        "notice": "已向涉及投资人所在的两个外省处非办通报",
    },
    {
        "region": "430922100202",
        "firm_name": "绿源林下经济专业合作社",
        "industry": "林业",
        "scheme": "吸收非社员入股，保底分红",
        "internet": Lead.Internet.OFFLINE,
        "amount": D("96.40"),
        "people": 37,
        "unpaid": D("0.00"),
        "cross_region": False,
        "measures": "镇处非办约谈理事长，督促退还非社员股金",
        "refund_status": Lead.Refund.DONE,
        "outcome": "正在整改并正常营业",
    },
    {
        "region": "430922100202",
        "firm_name": "丰谷农业发展有限公司",
        "industry": "三农",
        "scheme": "以土地流转项目为名高息借款",
        "internet": Lead.Internet.BOTH,
        "amount": D("210.00"),
        "people": 58,
        "unpaid": D("150.00"),
        "cross_region": False,
        "measures": "责令停止借款，冻结项目收款账户",
        "refund_status": Lead.Refund.REFUNDING,
        "refund_percent": D("28.57"),
        "outcome": "停业整改",
    },
    {
        "region": "430922100001",
        "firm_name": "乐享优选电子商务有限公司",
        "industry": "电子商务",
        "scheme": "消费全额返还，拉人头奖励",
        "internet": Lead.Internet.ONLINE,
        "amount": D("45.80"),
        "people": 120,
        "unpaid": D("45.80"),
        "cross_region": True,
        "measures": "解散推广微信群，提请网信部门处置推广链接",
        "outcome": "正在整改并正常营业",
        "note": "群众举报线索",
    },
    {
        "region": "430922100201",
        "firm_name": "安居宝房地产营销策划有限公司",
        "industry": "房地产",
        "scheme": "商铺售后包租，承诺十年回购",
        "internet": Lead.Internet.OFFLINE,
        "amount": D("600.00"),
        "people": 25,
        "unpaid": D("380.00"),
        "cross_region": False,
        "measures": "会同住建部门约谈，责令停止售后包租宣传",
        "refund_status": Lead.Refund.REFUNDING,
        "refund_percent": D("36.67"),
        "outcome": "正在整改并正常营业",
    },
]
# Filings of this month: (region code, nothing found, summary). 竹林村 and 新桥社区 have not
# filed, so the dashboard and the status page have someone to chase.
FILINGS = [
    ("430922100001", False, "排查辖区商户 46 家、微信群 8 个，发现两条线索，已录入台账。"),
    ("430922100201", False, "走访养老机构 3 家、房产销售点 2 处，发现两条线索。"),
    ("430922100202", True, "排查合作社、农资店 19 家，未发现非法集资风险。"),
]


def build_demo_leads():
    """Create the ledger month, contacts and filings; return {"leads": n, "filings": n},
    or zeros when leads already exist."""
    if Lead.objects.exists():
        return {"leads": 0, "filings": 0}
    town = Region.objects.filter(code=TOWN).first()
    if town is None:  # the region seed was edited away
        return {"leads": 0, "filings": 0}
    for code, name in EXTRA_VILLAGES:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": Region.Level.VILLAGE, "parent": town}
        )
    config = LeadSettings.load()
    config.filing_unit = "桃花江镇防范和处置非法集资工作领导小组办公室"
    config.preparer, config.head, config.phone = "周晓梅", "陈建国", "0737-5550123"
    config.screening_level = Region.Level.VILLAGE
    config.screening_root = town
    config.save()

    regions = {r.code: r for r in Region.objects.filter(path__startswith=town.path)}
    for code, name, phone in CONTACTS:
        RegionContact.objects.get_or_create(
            region=regions[code], defaults={"name": name, "phone": phone}
        )
    period = current_period()
    leads = []
    for spec in LEADS:
        spec = dict(spec)
        lead = Lead(period=period, region=regions[spec.pop("region")], **spec)
        lead.full_clean()
        lead.save()
        leads.append(lead)
    now = timezone.now()
    for code, nothing_found, summary in FILINGS:
        filing = ScreeningFiling.objects.create(
            region=regions[code],
            period=period,
            nothing_found=nothing_found,
            summary=summary,
            filed_at=now,
        )
        filing.leads.set([lead for lead in leads if lead.region.code == code])
    # A tip-off the demo has taken up (when there is one) shows the way from 举报 to 线索.
    report = from_report.convertible().filter(region__path__startswith=town.path).first()
    if report is not None:
        lead, _created = from_report.lead_from_report(report.pk)
        leads.append(lead)
    return {"leads": len(leads), "filings": len(FILINGS)}
