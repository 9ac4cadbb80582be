"""The default vacancy with today's bank as its published version 1; candidates so far keep working on it.

Also the lead group («Руководители найма», created idempotently: other migrations make the same group)
gets the vacancy permissions, and members of the older «lead» group join it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

DEFAULT_TITLE = "Менеджер по продажам (гибрид)"
LEAD_GROUP = "Руководители найма"
MODELS = ("vacancy", "vacancysource", "questionnaireversion", "questionnairequestion", "questionnaireoption")


def forward(apps, schema_editor):
    from candidates import questionnaire
    from candidates.vacancies.editing import seed_from_bank

    Vacancy = apps.get_model("candidates", "Vacancy")
    Version = apps.get_model("candidates", "QuestionnaireVersion")
    Candidate = apps.get_model("candidates", "Candidate")
    vacancy = Vacancy.objects.filter(is_default=True).first()
    if vacancy is None:
        vacancy, _ = Vacancy.objects.get_or_create(title=DEFAULT_TITLE)
        vacancy.is_default = True
        vacancy.save(update_fields=["is_default"])
    version = Version.objects.filter(vacancy=vacancy, number=1).first()
    if version is None:
        version = Version.objects.create(vacancy=vacancy, number=1, published_at=timezone.now(), note="исходный банк")
        seed_from_bank(
            questionnaire.BANK,
            version=version,
            question_model=apps.get_model("candidates", "QuestionnaireQuestion"),
            option_model=apps.get_model("candidates", "QuestionnaireOption"),
        )
    texts = {question.key: question.text for question in questionnaire.BANK}
    for candidate in Candidate.objects.filter(test1_version__isnull=True).exclude(test1_answers={}).iterator():
        candidate.test1_version = version
        candidate.vacancy_id = candidate.vacancy_id or vacancy.pk
        candidate.test1_questions = {k: texts[k] for k in candidate.test1_answers if k in texts}
        candidate.save(update_fields=["test1_version", "vacancy", "test1_questions"])
    Candidate.objects.filter(test1_version__isnull=True, status="in_test1").update(
        test1_version=version, vacancy=vacancy
    )

    # Permissions are normally created after all migrations; the stub app config needs a models module to qualify.
    config = apps.get_app_config("candidates")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="candidates", content_type__model__in=MODELS)
    )
    old = Group.objects.filter(name="lead").first()
    if old is not None:
        group.user_set.add(*old.user_set.all())


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("candidates", "0005_questionnaire_versions"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
