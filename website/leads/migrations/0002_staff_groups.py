"""Two staff groups for the ledger and the screening.

风险线索管理 (the office's staff who keep the ledger): every permission of the app, filing for
any region included. 网格员 (a village's or community's grid worker): enter the own region's
monthly screening and see the leads; which region is "own" is set per account on the
region's 排查联系人.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LEAD_KEEPERS = "风险线索管理"
GRID_WORKERS = "网格员"
ALL = [
    f"{action}_{model}"
    for model in ("lead", "screeningfiling", "regioncontact", "screeningreminder")
    for action in ("add", "change", "delete", "view")
] + ["file_any_region", "change_leadsettings", "view_leadsettings"]
GRANTS = {
    LEAD_KEEPERS: ALL,
    GRID_WORKERS: ["add_screeningfiling", "change_screeningfiling", "view_screeningfiling", "view_lead"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("leads")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            access_admin,
            *Permission.objects.filter(content_type__app_label="leads", codename__in=codenames),
        )


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial"), ("core", "0002_staff_groups_and_workflow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
