"""Numbers as pitches write them: 月息2分, 年化18%, 日息千分之三, 十万元, 两万, 1.2万.

Written here rather than taken from cn2an: the readings that matter are the money idioms (分
and 厘 mean different rates per year, month and day; 三分利 is a monthly rate; 两成 is 20 %),
which no numeral library knows, and the numerals themselves need a dozen lines.

Every function reads the normalised text (``website.redflags.normalise``): ASCII digits and
punctuation, simplified characters.
"""

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}  # fmt: skip
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUM = "[零〇一二两三四五六七八九十百千万亿]"
NUM = rf"(?:\d+(?:\.\d+)?|{CN_NUM}+(?:点[零〇一二三四五六七八九]+)?)"

# How many of each period fit into a year.
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365}
# What one 分 of interest is, in percent of the period: 年息一分 = 10 %, 月息一分 = 1 %,
# 日息一分 = 0.1 % (a 厘 is a tenth of a 分).
FEN = {"year": 10.0, "month": 1.0, "week": 1.0, "day": 0.1}


class NumberError(ValueError):
    """The text is not a number this module can read."""


def _chinese_integer(text):
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char in BIG_UNITS:
            section += digit or 0
            total = (
                (total + section) * BIG_UNITS[char]
                if char == "亿"
                else (total + section * BIG_UNITS[char])
            )
            section, digit = 0, None
        else:
            raise NumberError(text)
    return total + section + (digit or 0)


def parse_number(text):
    """Return the value of ``text`` as a float: "18", "1.5", "1.2万", "十万", "两千五百",
    "一点五", "3千". Raises NumberError for anything else (an empty string included)."""
    text = (text or "").strip()
    if not text:
        raise NumberError(text)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万亿]*)", text)
    if match:
        value = float(match.group(1))
        for unit in match.group(2):
            value *= SMALL_UNITS.get(unit) or BIG_UNITS[unit]
        return value
    whole, _, fraction = text.partition("点")
    if not whole or any(c not in DIGITS and c not in SMALL_UNITS and c not in BIG_UNITS
                        for c in whole):  # fmt: skip
        raise NumberError(text)
    # 一万二 = 12000, 三千五 = 3500: a bare digit after a unit is one step below it.
    tail = re.fullmatch(rf"(.*)([万千百])([{''.join(DIGITS)}])", whole)
    if tail and not fraction:
        head = _chinese_integer(tail.group(1) + tail.group(2))
        step = {"万": 1000, "千": 100, "百": 10}[tail.group(2)]
        return float(head + DIGITS[tail.group(3)] * step)
    value = float(_chinese_integer(whole))
    if fraction:
        if any(c not in DIGITS for c in fraction):
            raise NumberError(text)
        value += float("0." + "".join(str(DIGITS[c]) for c in fraction))
    return value


@dataclass(frozen=True)
class Rate:
    """A rate of return found at [start, end) of the normalised text: ``annual`` percent a year
    (simple interest), as stated ``per`` period."""

    start: int
    end: int
    annual: float
    per: str

    @property
    def text_rate(self):
        return round(self.annual, 1)


@dataclass(frozen=True)
class Amount:
    """A sum of money (yuan) at [start, end) of the normalised text."""

    start: int
    end: int
    yuan: float


PERIOD_WORDS = [
    ("day", r"日息|日利率|日利息|日化|日收益率?|日回报率?|日返|每天|每日|天天|一天"),
    ("week", r"周息|周收益率?|周回报率?|周返|每周|一周"),
    ("month", r"月息|月利率|月利息|月化|月收益率?|月回报率?|月返|每月|按月|一个月|月均"),
    ("year", r"年化|年息|年利率|年利息|年收益率?|年回报率?|年分红|每年|年均|一年"),
    # No period named: a rate of return is quoted per year unless said otherwise.
    ("year", r"收益率|回报率|利率|利息|收益|回报|分红|返利|利润|保底|盈利"),
]
PERIOD = "|".join(f"(?P<p_{n}_{i}>{words})" for i, (n, words) in enumerate(PERIOD_WORDS))
# A value: 18%, 18个点, 百分之十八, 千分之三, 万分之五, 2分, 2分5, 一分五, 3厘, 三成.
VALUE = (
    rf"(?P<pct>{NUM})\s*(?:%|个点)"
    rf"|百分之(?P<pct_cn>{NUM})"
    rf"|千分之(?P<permille>{NUM})"
    rf"|万分之(?P<permyriad>{NUM})"
    rf"|(?P<fen>{NUM})分(?P<fen_tenth>[0-9一二三四五六七八九])?(?![钟之])"
    rf"|(?P<li>{NUM})厘"
    rf"|(?P<cheng>[一二两三四五六七八九\d])成"
)
# The period, then a few words (收益率高达, 可达), then the value: all in one clause, with no
# other period word between (一天通知存款年利率0.35% is a yearly rate).
PERIOD_THEN_VALUE = re.compile(rf"(?:{PERIOD})[^,。;!?，；！？\d年月日天周]{{0,8}}?(?:{VALUE})")
# The value first: 20%的年化收益, 三分利.
VALUE_THEN_PERIOD = re.compile(
    rf"(?P<pct>{NUM})\s*%\s*(?:的)?(?:{PERIOD})|(?P<fenli>{NUM})分(?P<fenli_tenth>[0-9一二三四五六七八九])?利"
)
# Disclosures of licensed products name past or benchmark figures, not promises.
DISCLAIMER = re.compile(r"不代表|不预示|过往|历史|仅供参考|不构成|不保证|业绩比较基准|可能为零")


def _period(match):
    for name, value in match.groupdict().items():
        if name.startswith("p_") and value:
            return name.split("_")[1]
    return "year"


def _value_percent(match, period):
    """Return the percent per ``period`` that VALUE's groups in ``match`` state."""
    g = match.groupdict()
    if g.get("pct"):
        return parse_number(g["pct"])
    if g.get("pct_cn"):
        return parse_number(g["pct_cn"])
    if g.get("permille"):
        return parse_number(g["permille"]) / 10
    if g.get("permyriad"):
        return parse_number(g["permyriad"]) / 100
    if g.get("fen"):
        tenth = g.get("fen_tenth")
        value = parse_number(g["fen"]) + (parse_number(tenth) / 10 if tenth else 0)
        return value * FEN[period]
    if g.get("li"):
        return parse_number(g["li"]) * FEN[period] / 10
    if g.get("cheng"):
        return parse_number(g["cheng"]) * 10
    raise NumberError(match.group(0))


def _sentence(text, start, end):
    left = max(text.rfind(c, 0, start) for c in "。!?;！？；\n")
    rights = [i for i in (text.find(c, end) for c in "。!?;！？；\n") if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


def find_rates(text):
    """Return the Rates stated in the normalised ``text``, in order, skipping those in a
    sentence that discloses past or benchmark figures (不代表未来收益, 业绩比较基准)."""
    found = []
    for pattern in (PERIOD_THEN_VALUE, VALUE_THEN_PERIOD):
        for match in pattern.finditer(text):
            period = _period(match)
            try:
                if match.groupdict().get("fenli"):
                    tenth = match.group("fenli_tenth")
                    per = parse_number(match.group("fenli")) + (
                        parse_number(tenth) / 10 if tenth else 0
                    )
                    period = "month"  # 三分利: the 民间 monthly rate
                else:
                    per = _value_percent(match, period)
            except NumberError:
                continue
            if DISCLAIMER.search(_sentence(text, match.start(), match.end())):
                continue
            found.append(Rate(match.start(), match.end(), per * PER_YEAR[period], period))
    found.sort(key=lambda r: r.start)
    kept = []
    for rate in found:  # one reading per stretch of text
        if not kept or rate.start >= kept[-1].end:
            kept.append(rate)
    return kept


AMOUNT = re.compile(
    rf"(?P<n>{NUM})\s*(?P<unit>万元|万块|万|千元|千块|千|百元|元|块钱|块)(?![分之])"
)


def find_amounts(text):
    """Return the Amounts of money in the normalised ``text`` (十万元, 两万, 1.2万, 5000元)."""
    amounts = []
    for match in AMOUNT.finditer(text):
        unit = match.group("unit")
        try:
            value = parse_number(match.group("n"))
        except NumberError:
            continue
        value *= (
            10_000
            if unit.startswith("万")
            else 1000
            if unit.startswith("千")
            else (100 if unit.startswith("百") else 1)
        )
        if value > 0:
            amounts.append(Amount(match.start(), match.end(), value))
    return amounts


# Not a percentage (每年返还12% is a rate, read by find_rates).
MONEY = rf"(?P<v>{NUM})\s*(?P<u>万元|万块|万|千元|千块|千|百元|元|块钱|块)?(?![%\d.])"
# 投一万每月返利八百 / 十万块放我这，一年给你三万利息: a stake, then a regular payment.
PAYMENT = re.compile(
    r"(?P<period>每天|每日|一天|每周|每月|一个月|每年|一年)[^。!?;！？；]{0,8}?"
    r"(?:返利?|返还|返现|收益|利息|分红|拿|得|给你?|赚)[^。!?;！？；\d一二两三四五六七八九十]{0,4}?"
    + MONEY
)
PAYMENT_PERIOD = {"每天": "day", "每日": "day", "一天": "day", "每周": "week", "每月": "month",
                  "一个月": "month", "每年": "year", "一年": "year"}  # fmt: skip
# 投两万，三个月后拿回两万六: a stake, then what comes back after a while.
RETURN_AFTER = re.compile(
    rf"(?P<n>{NUM})个?(?P<unit>天|周|月|年)[^。!?;！？；]{{0,4}}?"
    r"(?:后|到期)[^。!?;！？；\d]{0,6}?(?:拿回|收回|返还|连本带利拿回|连本带利|本息|取回)"
    r"[^。!?;！？；\d一二两三四五六七八九十]{0,4}?" + MONEY
)
UNIT_PERIOD = {"天": "day", "周": "week", "月": "month", "年": "year"}
UNIT_VALUE = {"万": 10_000, "千": 1000, "百": 100}


def _money(match):
    value = parse_number(match.group("v"))
    unit = match.group("u") or ""
    return value * UNIT_VALUE.get(unit[:1], 1)


def find_payout_rates(text):
    """Return Rates implied by a stake and what it pays or returns, in the same sentence
    (投一万每月返八百: 96 % a year; 投两万，三个月后拿回两万六: 120 % a year)."""
    rates = []
    for stake in find_amounts(text):
        rest = text[stake.end : stake.end + 40]
        rest = re.split(r"[。!?;！？；\n]", rest, maxsplit=1)[0]
        try:
            payment = PAYMENT.search(rest)
            if payment:
                period = PAYMENT_PERIOD[payment.group("period")]
                annual = _money(payment) / stake.yuan * 100 * PER_YEAR[period]
                rates.append(Rate(stake.start, stake.end + payment.end(), annual, period))
                continue
            after = RETURN_AFTER.search(rest)
            if after:
                back, length = _money(after), parse_number(after.group("n"))
                if back > stake.yuan and length > 0:
                    per_year = PER_YEAR[UNIT_PERIOD[after.group("unit")]] / length
                    annual = (back / stake.yuan - 1) * 100 * per_year
                    rates.append(Rate(stake.start, stake.end + after.end(), annual, "year"))
        except NumberError:
            continue
    return rates
