from django.db import migrations, models

LEAD_GROUP = "Руководители найма"  # scheduling.access.LEAD_GROUP at the time of writing
LEGACY_LEAD_GROUP = "lead"  # seed_demo's name for it before; its members stay leads


def lead_group_create(apps, schema_editor):
    """The lead group exists once, whichever migration gets there first (get_or_create); old leads stay leads."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    legacy = Group.objects.filter(name=LEGACY_LEAD_GROUP).first()
    if legacy is not None:
        group.user_set.add(*legacy.user_set.all())
        group.permissions.add(*legacy.permissions.all())


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("scheduling", "0004_recruiter_daily_digest"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="slotevent",
            index=models.Index(fields=["reservation_id"], name="slotevent_reservation_idx"),
        ),
        migrations.RunPython(lead_group_create, migrations.RunPython.noop),
    ]
