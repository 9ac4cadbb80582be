"""The table of the database cache where django-q2 clusters publish their status (settings.CACHES["django_q_status"]).

A migration rather than a `createcachetable` step to remember: every database that is migrated
(make run's SQLite, CI, production's release step) has it.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "django_q_cluster_status"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
