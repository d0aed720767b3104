"""The lists in the admin: under review, imported with row errors and a preview."""

import io

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import WorkflowContentType

from tests import factories
from website.core import tabular
from website.firms import importing
from website.firms.importing import COLUMNS
from website.firms.lookup import lookup
from website.firms.models import Entity, EntityKind

from .conftest import code, make_entity

pytestmark = pytest.mark.django_db

IMPORT = "/admin/firms/import/"
GOOD_CODE = code("91430900MA4L0TB01")


@pytest.fixture
def editor():
    return factories.logged_in(factories.staff("bianji", "编辑"))


@pytest.fixture
def reviewer():
    return factories.logged_in(factories.staff("shenhe", "审核员"))


def test_the_four_lists_are_seeded_with_their_roles():
    roles = dict(EntityKind.objects.values_list("name", "role"))
    assert roles == {
        "警示名单": "warning",
        "已立案": "warning",
        "经营异常": "warning",
        "持牌机构": "licence",
    }


def test_entities_are_under_the_review_workflow():
    ct = ContentType.objects.get_for_model(Entity)
    assert WorkflowContentType.objects.get(content_type=ct).workflow.name == "内容审核"


def test_an_editor_cannot_publish_and_a_reviewer_can(editor, reviewer):
    assert not User.objects.get(username="bianji").has_perm("firms.publish_entity")
    assert User.objects.get(username="shenhe").has_perm("firms.publish_entity")
    data = {
        "name": "示范编辑新增投资有限公司",
        "kind": EntityKind.objects.get(name="警示名单").pk,
        "reason": "测试",
        "source": "测试文件",
        "source_date": "2026-03-01",
        "status": "in_force",
        "action-publish": "action-publish",
    }
    editor.post(reverse("wagtailsnippets_firms_entity:add"), data)
    entity = Entity.objects.get(name="示范编辑新增投资有限公司")
    assert not entity.live
    assert lookup("编辑新增").matches == []


def test_an_invalid_credit_code_is_refused_in_the_editor(reviewer):
    data = {
        "name": "示范代码错误有限公司",
        "kind": EntityKind.objects.get(name="警示名单").pk,
        "credit_code": GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1"),
        "reason": "测试",
        "source": "测试文件",
        "source_date": "2026-03-01",
        "status": "in_force",
    }
    response = reviewer.post(reverse("wagtailsnippets_firms_entity:add"), data)
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not Entity.objects.exists()


def upload(client, rows, name="list.csv"):
    data = tabular.csv_bytes([COLUMNS, *rows])
    f = io.BytesIO(data)
    f.name = name
    return client.post(IMPORT, {"file": f})


def row(name, kind="警示名单", credit_code="", date="2026-04-01", **extra):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "名称": name,
            "名单类别": kind,
            "统一社会信用代码": credit_code,
            "原因": "未经批准吸收资金",
            "来源文件": "示范市处非办通报",
            "发布日期": date,
        }
    )
    values.update(extra)
    return [values[c] for c in COLUMNS]


def test_an_import_with_bad_rows_names_each_row_and_writes_nothing(reviewer):
    rows = [
        row("示范甲投资有限公司"),
        row("示范乙投资有限公司", kind="黑名单"),
        row("", date="去年"),
        row("示范丙投资有限公司", credit_code="91430900MA4L0TB0100"),
        row("示范丁投资有限公司", credit_code=GOOD_CODE),
        row("示范戊投资有限公司", credit_code=GOOD_CODE),
    ]
    response = upload(reviewer, rows)
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 3 行：名单类别“黑名单”不存在" in html
    assert "第 4 行：“名称”不能为空" in html and "去年" in html
    assert "第 5 行：统一社会信用代码应为 18 位" in html
    assert "第 7 行：统一社会信用代码与第 6 行重复" in html
    assert not Entity.objects.exists()


def test_an_import_previews_then_publishes_for_a_reviewer(reviewer):
    existing = make_entity("示范已有投资有限公司", credit_code=GOOD_CODE)
    rows = [
        row("示范新来投资有限公司", 别名="新来宝、新来App"),
        row("示范已有投资有限公司", credit_code=GOOD_CODE, 原因="新的原因"),
    ]
    preview = upload(reviewer, rows, name="list.csv")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "新增 1 个，更新 1 个" in html and "原因" in html
    assert Entity.objects.count() == 1  # nothing written by the preview
    context = preview.context
    confirm = reviewer.post(IMPORT, {"payload": context["payload"], "digest": context["digest"]})
    assert confirm.status_code == 302
    assert lookup("新来宝").matches[0].entity.name == "示范新来投资有限公司"
    existing.refresh_from_db()
    assert existing.reason == "新的原因" and existing.live


def test_an_editor_import_waits_for_review(editor):
    preview = upload(editor, [row("示范草稿导入有限公司")])
    context = preview.context
    editor.post(IMPORT, {"payload": context["payload"], "digest": context["digest"]})
    entity = Entity.objects.get(name="示范草稿导入有限公司")
    assert not entity.live and entity.latest_revision is not None
    assert lookup("草稿导入").matches == []


def test_a_confirmation_is_refused_if_the_lists_changed_since_the_preview(reviewer):
    preview = upload(reviewer, [row("示范变化投资有限公司")])
    context = preview.context
    make_entity("示范变化投资有限公司")  # someone else added it meanwhile
    again = reviewer.post(IMPORT, {"payload": context["payload"], "digest": context["digest"]})
    assert again.status_code == 200
    assert "有了变化" in again.content.decode()
    assert Entity.objects.filter(name="示范变化投资有限公司").count() == 1


def test_a_tampered_payload_is_refused(reviewer):
    response = reviewer.post(IMPORT, {"payload": "x" * 40, "digest": "y"})
    assert response.status_code == 302
    assert not Entity.objects.exists()


def test_an_xlsx_import_and_the_template_download(reviewer):
    template = reviewer.get(reverse("firms_admin:template"))
    assert template.status_code == 200
    f = io.BytesIO(template.content)
    f.name = "template.xlsx"
    preview = reviewer.post(IMPORT, {"file": f})
    assert preview.status_code == 200
    assert "新增 1 个" in preview.content.decode()
    csv = reviewer.get(reverse("firms_admin:template") + "?format=csv")
    assert csv.content.decode("utf-8-sig").startswith("名称,名单类别")


def test_staff_without_the_permission_cannot_import():
    user = User.objects.create_user("other", password="pw-123456789")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = factories.logged_in(user)
    assert client.get(IMPORT).status_code in (302, 403)


def test_the_admin_lists_and_edit_pages_open_for_staff(reviewer):
    entity = make_entity("示范后台查看有限公司", aliases="后台宝")
    assert reviewer.get(reverse("wagtailsnippets_firms_entity:list")).status_code == 200
    listing = reviewer.get(reverse("wagtailsnippets_firms_entity:list") + "?q=后台宝")
    assert "示范后台查看有限公司" in listing.content.decode()
    assert (
        reviewer.get(reverse("wagtailsnippets_firms_entity:edit", args=[entity.pk])).status_code
        == 200
    )
    assert reviewer.get(reverse("wagtailsnippets_firms_entitykind:list")).status_code == 200
    assert reviewer.get(IMPORT).status_code == 200


def test_publishing_or_unpublishing_clears_the_cached_answers():
    from django.core.cache import cache

    from website.core.cache import VERSION_KEY

    before = cache.get(VERSION_KEY, 0)
    make_entity("示范草稿不清缓存有限公司", publish=False)
    assert cache.get(VERSION_KEY, 0) == before  # a draft never published changes no answer
    entity = make_entity("示范发布清缓存有限公司")
    published = cache.get(VERSION_KEY, 0)
    assert published > before
    entity.unpublish()
    assert cache.get(VERSION_KEY, 0) > published


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cells=st.lists(
        st.lists(
            st.one_of(st.text(max_size=30), st.sampled_from(["警示名单", "2026-02-30", "有效"])),
            min_size=len(COLUMNS),
            max_size=len(COLUMNS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_junk_rows_are_reported_never_raised(cells):
    table = tabular.Table(
        header=list(COLUMNS), rows=[[tabular.cell_text(c) for c in row] for row in cells]
    )
    plan = importing.plan(table)
    assert plan.errors or all(r.values["name"] for r in plan.rows)
    assert not Entity.objects.exists()
