"""Every recruiter gets a calendar feed key: added empty, filled one by one (a callable default would give
every existing row the same value), then made unique."""

from django.db import migrations, models

import scheduling.models


def fill_tokens(apps, schema_editor):
    Recruiter = apps.get_model("scheduling", "Recruiter")
    for recruiter in Recruiter.objects.filter(calendar_token="").only("pk"):
        recruiter.calendar_token = scheduling.models.new_calendar_token()
        recruiter.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0007_meeting_place_permissions")]

    operations = [
        migrations.AddField(
            model_name="recruiter",
            name="calendar_token",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="ключ календаря"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recruiter",
            name="calendar_token",
            field=models.CharField(
                default=scheduling.models.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="ключ календаря",
            ),
        ),
    ]
