"""Create the periodic sweep schedule idempotently (update_or_create by name)."""

from django.db import migrations


def ensure_sweep(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="notifications-sweep",
        defaults={"func": "notifications.tasks.sweep", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def drop_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="notifications-sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_pace"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(ensure_sweep, drop_sweep)]
