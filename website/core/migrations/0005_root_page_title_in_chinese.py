"""Wagtail creates the page tree's root titled "Root" and the root collection named "Root";
the admin shows them as "浏览: Root" and in every collection picker. Staff read Chinese there."""

from django.db import migrations


PAGE_ROOT, COLLECTION_ROOT = "全部站点", "全部文件"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=PAGE_ROOT, draft_title=PAGE_ROOT)
    Collection.objects.filter(depth=1, name="Root").update(name=COLLECTION_ROOT)


def restore(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=PAGE_ROOT).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=COLLECTION_ROOT).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reviewers_edit_site_settings"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(rename, restore)]
