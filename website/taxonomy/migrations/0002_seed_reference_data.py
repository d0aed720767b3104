"""Seed audiences, pretext tags and a demo region tree; all editable in the admin later."""

from django.db import migrations

from website.taxonomy.models import AUDIENCE_SEED, TAG_SEED

# (code, name, level, parent code): a demo tree down to villages and communities.
REGION_SEED = [
    ("43", "湖南省", 1, None),
    ("4309", "益阳市", 2, "43"),
    ("430903", "赫山区", 3, "4309"),
    ("430922", "桃江县", 3, "4309"),
    ("430923", "安化县", 3, "4309"),
    ("430922100", "桃花江镇", 4, "430922"),
    ("430922101", "灰山港镇", 4, "430922"),
    ("430922100001", "桃花江社区", 5, "430922100"),
    ("430922100201", "花果山村", 5, "430922100"),
    ("430922101201", "石牛江村", 5, "430922101"),
    ("430923100", "东坪镇", 4, "430923"),
    ("430923100201", "黄沙坪村", 5, "430923100"),
    ("430903100", "会龙山街道", 4, "430903"),
    ("430903100001", "金山社区", 5, "430903100"),
    ("4301", "长沙市", 2, "43"),
    ("430104", "岳麓区", 3, "4301"),
    ("430104100", "岳麓街道", 4, "430104"),
    ("430104100001", "大学城社区", 5, "430104100"),
]


def seed(apps, schema_editor):
    Audience = apps.get_model("taxonomy", "Audience")
    Region = apps.get_model("taxonomy", "Region")
    Tag = apps.get_model("taggit", "Tag")
    from django.utils.text import slugify

    for name, slug, label, order in AUDIENCE_SEED:
        Audience.objects.get_or_create(
            slug=slug, defaults={"name": name, "entry_label": label, "sort_order": order}
        )
    for name in TAG_SEED:
        Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name, allow_unicode=True)})
    by_code = {}
    for code, name, level, parent_code in REGION_SEED:
        parent = by_code.get(parent_code)
        path = f"{parent.path if parent else '/'}{code}/"
        by_code[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent, "path": path}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
