"""Hand-written SQL on hot paths (website.core.sql) gives back what the ORM would."""

import datetime

import pytest
from django.db import connection
from wagtail.models import Page

from tests import factories
from website.core import sql

pytestmark = pytest.mark.django_db


def test_selected_values_come_back_converted_as_the_orm_returns_them():
    page = factories.notice("查询结果换算")
    fields, columns = sql.columns(Page, "p")
    (row,) = sql.select(
        f"SELECT {columns} FROM {Page._meta.db_table} p WHERE p.id = %s", [page.pk], fields
    )
    loaded = sql.instance(Page, row)
    expected = Page.objects.get(pk=page.pk)
    assert isinstance(loaded.first_published_at, datetime.datetime)
    assert loaded.first_published_at.tzinfo is not None
    assert loaded.live is True  # a bool on SQLite too, where the column holds 1
    assert {f.attname: getattr(loaded, f.attname) for f in fields} == {
        f.attname: getattr(expected, f.attname) for f in fields
    }
    # Built as a queryset builds it: saved, on its database; saving updates the same row.
    assert loaded._state.adding is False and loaded._state.db == connection.alias
    Page.objects.filter(pk=page.pk).update(seo_title="新标题")
    loaded.refresh_from_db()
    assert loaded.seo_title == "新标题"


def test_columns_are_quoted_and_name_every_concrete_field():
    fields, columns = sql.columns(Page, "p")
    assert [f.attname for f in fields] == [f.attname for f in Page._meta.concrete_fields]
    assert columns.split(", ")[0] == "p." + connection.ops.quote_name("id")


def test_no_rows_is_an_empty_list():
    fields, columns = sql.columns(Page, "p")
    assert (
        sql.select(f"SELECT {columns} FROM wagtailcore_page p WHERE p.id = %s", [-1], fields) == []
    )
