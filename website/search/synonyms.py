"""Query expansion from the staff-edited synonym dictionary (``SynonymGroup``).

``expansions(query)`` finds every dictionary word inside the normalised query (as a
substring, so 养老钱被骗 finds 养老钱 although jieba cuts it 养老/钱) and returns the words
each one should also find. The table is read once per content version: saving or deleting a
group bumps the site's content version (``website.search.signals``), which both drops this
table and every cached search page.
"""

from website.core.cache import cached_for_content

CACHE_KEY = "search-synonyms"

# The list a new site starts with (seeded by migration 0002, editable in the admin):
# (words, one_way, note). Equivalent words first, then colloquial phrases.
DEFAULT_GROUPS = [
    ("退休金 养老金 养老钱 退休工资", False, "群众说法与政策用语"),
    ("骗子 诈骗 骗局 非法集资", False, ""),
    ("高息 高额回报 高利息 高回报 高收益", False, ""),
    ("医保卡 社保卡 医疗保险 医保", False, ""),
    ("老人 老年人 长辈 老年朋友", False, ""),
    ("学生 在校学生 大学生 中小学生", False, ""),
    ("农民 农村居民 村民", False, ""),
    ("打工 农民工 务工人员 外出务工", False, ""),
    ("虚拟币 虚拟货币 数字货币 加密货币 区块链", False, ""),
    ("理财 投资理财 理财产品", False, ""),
    ("返利 消费返利 返现", False, ""),
    ("保健品 养生 健康讲座", False, ""),
    ("养老院 养老机构 养老床位 养老公寓", False, ""),
    ("众筹 股权众筹", False, ""),
    ("原始股 股权 上市", False, ""),
    ("传销 拉人头 发展下线", False, ""),
    ("举报 报警 报案 投诉", False, ""),
    ("被骗 受骗 上当 上当受骗", False, ""),
    ("跑路 爆雷 卷款 失联", False, ""),
    ("私募 私募基金", False, ""),
    ("网贷 网络借贷 p2p", False, ""),
    ("保本保息 稳赚不赔 保本 零风险", False, ""),
    ("以房养老 抵押房产 房子抵押", False, ""),
    ("合作社 农业合作社 专业合作社", False, ""),
    ("追损 维权 挽回损失 追回 追赃挽损", False, "已经被骗的人最常搜的词"),
    ("核实 核查 查证 辨别", False, ""),
    ("宣传月 宣传周 宣传日 宣传活动", False, ""),
    ("测一测 答题 知识测试 测试", False, ""),
    ("借款 借钱 借贷", False, ""),
    ("存款 储蓄 存钱", False, ""),
    ("讲座 免费讲座 健康讲座", False, ""),
    ("天上掉馅饼 高额回报 免费 稳赚不赔", True, "俗语"),
    ("贪小便宜 免费 礼品 小恩小惠", True, "俗语"),
    ("领鸡蛋 免费 礼品 保健品", True, "老年人常遇到的揽客手法"),
    ("送鸡蛋 免费 礼品 保健品", True, "老年人常遇到的揽客手法"),
    ("割韭菜 骗局 非法集资", True, "俗语"),
    ("杀猪盘 诈骗 投资理财", True, "俗语"),
    ("拆东墙补西墙 借新还旧 庞氏骗局", True, "俗语"),
    ("利滚利 高息 复利", True, "俗语"),
    ("躺赚 稳赚不赔 高额回报 静态收益", True, "俗语"),
    ("钱生钱 投资理财 高额回报", True, "俗语"),
    ("一夜暴富 高额回报 稳赚不赔", True, "俗语"),
    ("拉人 拉人头 发展下线", True, "俗语"),
]


def build_table(groups):
    """Return {word: (words it also finds, …)} for ``groups`` of (word list, one_way)."""
    table = {}
    for words, one_way in groups:
        sources = words[:1] if one_way else words
        for source in sources:
            found = table.setdefault(source, [])
            found.extend(w for w in words if w != source and w not in found)
    return {word: tuple(found) for word, found in table.items() if found}


def _load():
    from website.search.models import SynonymGroup

    rows = SynonymGroup.objects.filter(enabled=True).values_list("words", "one_way")
    return build_table((SynonymGroup(words=w).word_list(), one_way) for w, one_way in rows)


def table():
    """Return the current synonym table (cached until the next content change)."""
    return cached_for_content(CACHE_KEY, _load)


def expansions(normalized_query, synonym_table=None):
    """Return [(word found in the query, (words it also finds, …)), …], longest word first.

    ``normalized_query`` must already be normalised (``website.search.normalize``).
    """
    synonym_table = table() if synonym_table is None else synonym_table
    found = [(word, also) for word, also in synonym_table.items() if word in normalized_query]
    return sorted(found, key=lambda pair: -len(pair[0]))
