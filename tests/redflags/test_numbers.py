import pytest

from website.redflags.normalise import normalise
from website.redflags.numbers import (
    NumberError,
    find_amounts,
    find_payout_rates,
    find_rates,
    parse_number,
)


@pytest.mark.parametrize(
    "text, value",
    [
        ("18", 18),
        ("1.5", 1.5),
        ("1.2万", 12_000),
        ("十万", 100_000),
        ("两万", 20_000),
        ("一万二", 12_000),
        ("两千五百", 2_500),
        ("三千五", 3_500),
        ("十五", 15),
        ("一百三十", 130),
        ("一点五", 1.5),
        ("3千", 3_000),
        ("两亿", 200_000_000),
    ],
)
def test_numbers_are_read_in_every_common_form(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("junk", ["", "abc", "万一x", "一点x", "%"])
def test_junk_is_not_a_number(junk):
    with pytest.raises(NumberError):
        parse_number(junk)


def annual(text):
    return [round(r.annual, 2) for r in find_rates(normalise(text).text)]


@pytest.mark.parametrize(
    "text, rate",
    [
        ("月息2分，按月付息", 24),  # 月息一分 = 1 % a month
        ("年息三分", 30),  # 年息一分 = 10 % a year
        ("年化18%", 18),
        ("年化收益率高达２５％", 25),  # full-width digits
        ("日息千分之三", 109.5),
        ("月利率1.5%", 18),
        ("月息一分五", 18),
        ("月息２分５", 30),
        ("年底按三分利分红", 36),  # 三分利: the 民间 monthly rate
        ("20%的年化收益", 20),
        ("每月收益三成", 360),
        ("周收益3%", 156),
        ("日收益百分之一", 365),
        ("年 化 1 5 %", 15),  # spacing tricks inside the number
    ],
)
def test_rates_are_turned_into_annual_percent(text, rate):
    assert annual(text) == [rate]


def test_the_nearest_period_names_the_rate():
    assert annual("一天通知存款年利率0.35%") == [0.35]


def test_disclosed_past_figures_are_not_promises():
    assert annual("七日年化收益率为1.85%，不代表未来收益") == []
    assert annual("业绩比较基准为年化2.8%") == []


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("十万元", [100_000]),
        ("两万", [20_000]),
        ("1.2万", [12_000]),
        ("投入3000元", [3000]),
        ("三千块钱", [3000]),
        ("满300减40", []),  # no unit: not money we can be sure of
    ],
)
def test_amounts_of_money(text, amounts):
    assert [a.yuan for a in find_amounts(normalise(text).text)] == amounts


@pytest.mark.parametrize(
    "text, rate",
    [
        ("投一万每月返利八百", 96),
        ("十万块放我这，一年给你三万利息", 30),
        ("投两万，三个月后拿回两万六", 120),
    ],
)
def test_a_stake_and_its_payments_give_a_rate(text, rate):
    assert [round(r.annual) for r in find_payout_rates(normalise(text).text)] == [rate]
