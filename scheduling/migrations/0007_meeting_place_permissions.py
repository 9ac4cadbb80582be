"""Recruiters edit their own meeting places, leads everyone's (idempotent: adds, never removes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["recruiters", "Руководители найма"]
CODENAMES = ["add_meetingplace", "change_meetingplace", "delete_meetingplace", "view_meetingplace"]


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; this migration needs them now.
    app_config = apps.get_app_config("scheduling")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="scheduling", codename__in=CODENAMES)
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("scheduling", "0006_meeting_place"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
