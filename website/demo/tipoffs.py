"""Demo tip-offs (all names fictional): a few reports in every state of handling, one pair
of duplicates, one closed with a reward decided. Called once by ``load_demo``; does nothing
if any report exists."""

import datetime
from decimal import Decimal

from django.utils import timezone
from taggit.models import Tag

from website.taxonomy.models import Region
from website.tipoffs import services
from website.tipoffs.models import Department, Note, Report

# (days ago, firm, credit code, channel, pretext, region code, what happened, pitch,
#  amount, people, final status, phone)
REPORTS = [
    (
        6,
        "福寿康养老服务中心",
        "",
        "offline",
        "养老服务",
        "430922100001",
        "小区里有人组织老人免费体检，然后推销“养老床位预售卡”，说交五万元每年返八千。",
        "交钱锁定床位，每年返息16%，到期还本，名额有限。",
        Decimal("50000"),
        12,
        Report.Status.RECEIVED,
        "",
    ),
    (
        12,
        "鑫汇通财富管理有限公司",
        "91430900MA4DEMO01X",
        "wechat",
        "投资理财",
        "430922",
        "微信群里天天发收益截图，拉人进群投资“稳健理财计划”，说由银行担保。",
        "日息千分之三，保本保息，推荐朋友再拿提成。",
        Decimal("200000"),
        40,
        Report.Status.VERIFYING,
        "+8613800009001",
    ),
    (
        10,
        "鑫汇通财富管理",
        "",
        "app",
        "投资理财",
        "430922",
        "一个叫“鑫汇通”的APP让下载后充值，提现一直审核中。",
        "",
        None,
        None,
        Report.Status.RECEIVED,
        "",
    ),
    (
        30,
        "链未来数字资产社区",
        "",
        "livestream",
        "区块链/虚拟货币",
        "430104",
        "直播间推荐购买一种“生态币”，说上线后涨十倍，要求先转账到个人账户。",
        "内部认购价，上交易所后翻十倍，错过再等十年。",
        Decimal("86000"),
        25,
        Report.Status.TRANSFERRED,
        "",
    ),
    (
        75,
        "绿野山珍农业专业合作社",
        "93430922MA4DEMO02Y",
        "offline",
        "农业合作社",
        "430922100201",
        "合作社上门动员村民入股种植项目，承诺年底分红30%，已有多户交钱。",
        "入股一万，年底分红三千，随时可退股。",
        Decimal("320000"),
        60,
        Report.Status.CLOSED,
        "+8613800009002",
    ),
]


def build_demo_tipoffs():
    """Create the demo reports; return how many were made (0 if reports already exist)."""
    if Report.objects.exists():
        return 0
    now = timezone.now()
    police = Department.objects.filter(name="公安机关").first()
    market = Department.objects.filter(name="市场监管部门").first()
    made = []
    for (
        days,
        firm,
        code,
        channel,
        pretext,
        region,
        what,
        pitch,
        amount,
        people,
        final,
        phone,
    ) in REPORTS:
        at = now - datetime.timedelta(days=days)
        report, _secret = services.submit(
            {
                "what_happened": what,
                "firm_name": firm,
                "credit_code": code,
                "channel": channel,
                "pitch": pitch,
                "amount_yuan": amount,
                "people_count": people,
                "region": Region.objects.filter(code=region).values_list("pk", flat=True).first(),
                "anonymous": not phone,
                "name": "张示例" if phone else "",
                "phone": phone,
            },
            pretext=Tag.objects.filter(name=pretext).first(),
            now=at,
        )
        steps = {
            Report.Status.RECEIVED: [],
            Report.Status.VERIFYING: [Report.Status.VERIFYING],
            Report.Status.TRANSFERRED: [Report.Status.VERIFYING, Report.Status.TRANSFERRED],
            Report.Status.CLOSED: [
                Report.Status.VERIFYING,
                Report.Status.TRANSFERRED,
                Report.Status.CLOSED,
            ],
        }[final]
        for i, status in enumerate(steps, start=1):
            if status == Report.Status.TRANSFERRED:
                report.department = police if final == Report.Status.CLOSED else market
            if status == Report.Status.CLOSED:
                report.result = (
                    "经公安机关立案侦查，涉案合作社负责人已被采取刑事强制措施，正在追赃挽损。"
                )
            services.change_status(report, status, now=at + datetime.timedelta(days=2 * i))
        if final != Report.Status.RECEIVED:
            Note.objects.create(report=report, body="已联系属地乡镇核实情况。", created_at=at)
        made.append(report)
    closed = made[-1]
    closed.reward_eligible = True
    closed.reward_first_report = True
    closed.reward_amount = Decimal("2000")
    closed.reward_paid_on = timezone.localdate() - datetime.timedelta(days=10)
    closed.reward_note = "线索查证属实，按首报原则奖励。"
    closed.save()
    made[2].duplicate_of = made[1]
    made[2].save(update_fields=["duplicate_of"])
    return len(made)
