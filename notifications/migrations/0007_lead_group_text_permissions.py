"""The hiring leads' group may edit bot texts (idempotent: adds, never removes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LEAD_GROUP = "Руководители найма"
CODENAMES = ["add_textoverride", "change_textoverride", "view_textoverride"]


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; this migration needs them now.
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="notifications", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0006_text_overrides"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
