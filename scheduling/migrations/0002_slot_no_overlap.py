"""Invariant 3: a recruiter's non-canceled slots never overlap.

PostgreSQL enforces it with an exclusion constraint over a time range. SQLite (the demo
database) has no such constraint; there the service's overlap check stands alone, so this
migration is a no-op on every other backend.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE scheduling_slot
    ADD CONSTRAINT slot_recruiter_no_overlap
    EXCLUDE USING gist (recruiter_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status <> 'canceled');
"""
DROP = "ALTER TABLE scheduling_slot DROP CONSTRAINT IF EXISTS slot_recruiter_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
