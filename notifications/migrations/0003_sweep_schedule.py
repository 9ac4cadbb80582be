"""Once created the sweep schedule here; now a no-op kept for the migration graph.

The schedule has one definition, `notifications.sweep.periodic_schedules_ensure`, which
`notifications.apps` runs after every `migrate` (post_migrate): a database migrated from
scratch and one that ran this migration long ago end up with the same schedule.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_pace"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
