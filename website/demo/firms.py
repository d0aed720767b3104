"""Demo lists for the firm lookup: a few dozen fictional entities on each of the four lists.

Every name starts with 示范 ("demo") and is made up from word lists, so none is a real firm's.
Written in bulk (two queries) and published as they are, without revisions: a demo needs
the lists, not their editing history. Two entries are left as drafts, to show review.
"""

import datetime
import itertools

from django.utils import timezone

from website.firms.codes import ALPHABET, check_character
from website.firms.models import Entity, EntityKind, EntityName, names_for
from website.taxonomy.models import Region

BRANDS = [
    "金满仓",
    "福瑞鑫",
    "汇融通",
    "聚宝源",
    "鼎盛泰",
    "安康颐",
    "惠民丰",
    "众筹汇",
    "链上财",
    "乐享购",
    "银月湾",
    "长青树",
    "瑞丰年",
    "合家欢",
    "天天盈",
    "云端宝",
    "稳赢通",
    "百福来",
    "金穗园",
    "康乐居",
    "宏图远",
    "晨曦光",
    "九州兴",
    "万家和",
    "富春江",
    "茶香源",
    "山水间",
    "红枫林",
    "彩虹桥",
    "星河湾",
    "青禾田",
    "暖阳坊",
]
TRADES = {
    "警示名单": ["投资管理", "财富管理", "养老服务", "区块链科技", "电子商务", "文化传媒"],
    "已立案": ["投资咨询", "养老产业", "农业发展", "健康科技", "私募基金管理", "商贸"],
    "经营异常": ["商贸", "信息咨询", "网络科技", "农业开发", "旅游开发", "实业"],
    "持牌机构": ["村镇银行", "农村商业银行", "财产保险", "人寿保险", "证券", "基金管理"],
}
REASONS = {
    "警示名单": [
        "未经有关部门批准，以“养老理财”为名向社会公众吸收资金，承诺年化15%以上回报。",
        "以购买虚拟货币“挖矿”为名，承诺每日返利，发展下线拉人头。",
        "以预订养老床位、发放会员卡为名收取费用，承诺到期还本付息。",
        "以“原始股”“上市前认购”为名向不特定对象销售股权。",
        "以消费返利为名，宣称“消费多少返多少”，吸收公众资金。",
    ],
    "已立案": [
        "因涉嫌非法吸收公众存款罪，已被公安机关立案侦查。",
        "因涉嫌集资诈骗罪，已被公安机关立案侦查，请投资人及时登记。",
    ],
    "经营异常": [
        "通过登记的住所或经营场所无法联系，已被列入经营异常名录。",
        "未按规定期限公示年度报告，已被列入经营异常名录。",
    ],
    "持牌机构": [
        "经金融管理部门批准设立，持有金融许可证。",
        "经批准从事相关金融业务的持牌机构。",
    ],
}
SOURCES = {
    "警示名单": "示范市处非办风险提示",
    "已立案": "示范市公安局通报",
    "经营异常": "示范市市场监督管理局公告",
    "持牌机构": "金融管理部门许可信息（示范数据）",
}
FORMS = {"持牌机构": "股份有限公司"}
PER_KIND = 30


def fictional_code(n):
    """Return a well-formed, fictional credit code number ``n`` (region 430900)."""
    serial = ""
    for _ in range(9):
        n, digit = divmod(n, len(ALPHABET))
        serial += ALPHABET[digit]
    body = "914309000" + serial[:8]
    return body + check_character(body)


def build_demo_firms():
    """Create the demo lists; return how many entities were made (none if any exist)."""
    if Entity.objects.exists():
        return 0
    kinds = {k.name: k for k in EntityKind.objects.all()}
    regions = list(Region.objects.filter(level__lte=Region.Level.COUNTY).order_by("path"))
    now = timezone.now()
    today = timezone.localdate()
    entities = []
    serial = itertools.count(1001)
    for kind_index, (kind_name, trades) in enumerate(TRADES.items()):
        kind = kinds.get(kind_name)
        if kind is None:
            continue
        for i in range(PER_KIND):
            brand = BRANDS[(i + kind_index * 7) % len(BRANDS)]
            trade = trades[i % len(trades)]
            name = f"示范{brand}{trade}{FORMS.get(kind_name, '有限公司')}"
            lifted = kind_name != "持牌机构" and i % 10 == 9
            draft = kind_name == "警示名单" and i >= PER_KIND - 2
            entities.append(
                Entity(
                    name=name,
                    former_names=f"示范{brand}咨询服务有限公司" if i % 4 == 1 else "",
                    aliases=f"{brand}宝\n{brand}App" if i % 3 == 0 else "",
                    credit_code=fictional_code(next(serial)) if i % 2 == 0 else "",
                    kind=kind,
                    reason=REASONS[kind_name][i % len(REASONS[kind_name])],
                    source=f"{SOURCES[kind_name]}（{2025 + i % 2}年第{i % 12 + 1}号）",
                    source_date=today - datetime.timedelta(days=20 + 17 * i),
                    region=regions[i % len(regions)] if regions else None,
                    status=Entity.Status.LIFTED if lifted else Entity.Status.IN_FORCE,
                    lifted_on=today - datetime.timedelta(days=10) if lifted else None,
                    live=not draft,
                    has_unpublished_changes=draft,
                    first_published_at=None if draft else now,
                    last_published_at=None if draft else now,
                )
            )
    Entity.objects.bulk_create(entities)
    # bulk_create skips save(), which keeps the name index: fill it here in one more query.
    EntityName.objects.bulk_create([row for e in entities for row in names_for(e)])
    return len(entities)
