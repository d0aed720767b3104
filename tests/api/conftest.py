import pytest

from tests import factories


@pytest.fixture
def topics():
    """Notices and cases classified as the site's listing tests classify them."""
    return {
        "elderly_pension": factories.notice(
            "养老院预售床位",
            audiences=["elderly"],
            tags=["养老服务"],
            region="430922100201",
            level="severe",
        ),
        "student_crypto": factories.notice(
            "校园虚拟币", audiences=["students"], tags=["区块链/虚拟货币"], region="430104"
        ),
        "everyone": factories.notice("全辖区提示", audiences=["rural"], level="warning"),
        "expired": factories.notice("昨天到期", valid_until=factories.days(-1)),
        "case": factories.case(
            "以房养老骗局",
            audiences=["elderly"],
            tags=["养老服务"],
            region="430922",
            victims=37,
            amount_involved="1280.50",
            outcome="主犯被判处有期徒刑十年。",
        ),
    }
