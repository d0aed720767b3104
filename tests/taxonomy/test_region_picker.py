"""The one region picker: every admin form and filter that chooses a region shows full paths
(湖南省 › 长沙市 › 岳麓区) in a plain <select> the search script can enhance."""

import re

import pytest
from django import forms

from tests.campaigns.outreach.factories import campaign_index
from tests.factories import logged_in, notice_index, staff
from website.taxonomy.models import Region
from website.taxonomy.widgets import RegionSelect, RegionSelectMultiple, full_path

pytestmark = pytest.mark.django_db

YUELU = "湖南省 › 长沙市 › 岳麓区"
VILLAGE = "湖南省 › 益阳市 › 桃江县 › 桃花江镇 › 花果山村"


class OneRegion(forms.Form):
    region = forms.ModelChoiceField(Region.objects.all(), widget=RegionSelect)
    regions = forms.ModelMultipleChoiceField(Region.objects.all(), widget=RegionSelectMultiple)


def test_options_read_as_full_paths_and_keep_their_values():
    yuelu = Region.objects.get(code="430104")
    html = str(OneRegion(initial={"region": yuelu.pk})["region"])
    assert f'<option value="{yuelu.pk}" selected>{YUELU}</option>' in html
    assert "data-region-picker" in html
    assert VILLAGE in str(OneRegion()["regions"])
    assert full_path(yuelu) == YUELU


def test_bare_choices_by_code_get_full_paths_too():
    widget = RegionSelect(key="code", choices=[("", "全辖区"), ("430104", "岳麓区")])
    html = widget.render("region", "430104")
    assert f'<option value="430104" selected>{YUELU}</option>' in html
    assert '<option value="">全辖区</option>' in html


def test_the_picker_brings_its_search_script_and_chinese_hints():
    html = str(OneRegion()["region"])
    assert 'data-region-picker-placeholder="输入地名或代码查找' in html
    assert "taxonomy/region-picker.js" in str(OneRegion().media)


@pytest.fixture
def editor_client():
    return logged_in(staff("bianji", "编辑"))


def test_a_page_form_uses_the_picker_not_the_snippet_chooser(editor_client):
    index = notice_index()
    response = editor_client.get(f"/admin/pages/add/pages/risknoticepage/{index.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="region"' in html and "data-region-picker" in html
    assert YUELU in html and VILLAGE in html
    assert "taxonomy/region-picker.js" in html


def test_a_campaign_page_chooses_several_regions_with_the_picker(admin_client):
    index = campaign_index()
    response = admin_client.get(f"/admin/pages/add/campaigns/campaignpage/{index.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    select = re.search(r'<select name="regions"[^>]*>', html).group(0)
    assert "data-region-picker" in select and "multiple" in select


@pytest.mark.parametrize(
    "url",
    [
        "/admin/outreach/events/new/",
        "/admin/outreach/events/?region=",
        "/admin/sms/blasts/new/",
        "/admin/sms/subscribers/",
        "/admin/leads/screening/new/",
        "/admin/leads/ledger/new/",
        "/admin/leads/contacts/new/",
        "/admin/outreach/targets/new/",
        "/admin/snippets/firms/entity/add/",
        "/admin/snippets/taxonomy/region/",
        "/admin/outreach-tools/calendar/",
        "/admin/snippets/firms/entity/",
    ],
)
def test_admin_forms_and_filters_that_choose_a_region_use_the_picker(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    selects = re.findall(r'<select name="(?:region|regions|parent)"[^>]*>', html)
    assert selects and all("data-region-picker" in tag for tag in selects), url
    assert " › " in html, url
