import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowContentType

from tests import factories
from website.redflags.defaults import RULES
from website.redflags.models import Method, Rule

pytestmark = pytest.mark.django_db

TRY = "/admin/redflags/try/"


def test_the_default_rules_are_published_and_under_review():
    assert Rule.objects.filter(live=True).count() == len(RULES)
    assert Method.objects.count() == 8
    rule = Rule.objects.get(key="guaranteed-principal")
    assert rule.live_revision_id and rule.method.name == "保本保息"
    assert rule.tag.name == "投资理财"
    ct = ContentType.objects.get_for_model(Rule)
    assert WorkflowContentType.objects.get(content_type=ct).workflow.name == "内容审核"


def test_editors_draft_and_reviewers_publish():
    editor = factories.staff("ed", "编辑")
    reviewer = factories.staff("rv", "审核员")
    assert editor.has_perm("redflags.change_rule") and not editor.has_perm("redflags.publish_rule")
    assert reviewer.has_perm("redflags.publish_rule")


def test_staff_try_a_draft_before_it_is_published():
    editor = factories.staff("ed", "编辑")
    rule = Rule.objects.get(key="crypto")
    rule.pattern = rule.pattern + "|灵石币"
    rule.save_revision(user=editor)
    client = factories.logged_in(editor)
    response = client.post(TRY, {"text": "快来买灵石币"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "草稿会改变检查结果" in html
    published, drafts = response.context["results"]
    assert not published[1].flags
    assert [f.phrase for f in drafts[1].flags] == ["灵石币"]


def test_the_try_out_needs_the_right_to_change_rules():
    user = User.objects.create_user("x", password="pw-123456789", is_staff=True)
    assert factories.logged_in(user).get(TRY).status_code in (302, 403)


def test_the_editor_refuses_a_bad_pattern_with_a_clear_message():
    reviewer = factories.staff("rv", "审核员")
    client = factories.logged_in(reviewer)
    rule = Rule.objects.get(key="crypto")
    response = client.post(
        f"/admin/snippets/redflags/rule/edit/{rule.pk}/",
        {
            "name": rule.name,
            "key": rule.key,
            "pattern": "虚拟币|(币圈",
            "feature": rule.feature,
            "method": rule.method_id,
            "explanation": rule.explanation,
            "tag": rule.tag_id or "",
        },
    )
    assert response.status_code == 200
    assert "不支持符号" in response.content.decode()
    rule.refresh_from_db()
    assert "(币圈" not in rule.pattern


def test_reviewers_see_the_rules_and_set_the_threshold():
    client = factories.logged_in(factories.staff("rv", "审核员"))
    rule = Rule.objects.get(key="crypto")
    assert client.get("/admin/snippets/redflags/rule/").status_code == 200
    assert client.get(f"/admin/snippets/redflags/rule/edit/{rule.pk}/").status_code == 200
    assert client.get(TRY).status_code == 200
    assert client.get("/admin/settings/redflags/checkersettings/").status_code in (200, 302)
