"""Candidates: the vacancies they apply to, who they are, where they are in the journey, their Тест 1 answers."""

import uuid

from django.core.validators import RegexValidator
from django.db import models

# Telegram passes `/start <code>` through for at most 64 characters of A–Z, a–z, 0–9, "_" and "-".
START_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_-]{1,64}$", "Код ссылки: до 64 латинских букв, цифр, «_» и «-» (так требует Telegram)."
)


class Vacancy(models.Model):
    """A job the company hires for: where, who interviews, and (see candidates.vacancies) its own Тест 1 and texts."""

    title = models.CharField("название", max_length=200, unique=True)
    cities = models.ManyToManyField("scheduling.City", verbose_name="города", related_name="vacancies", blank=True)
    recruiters = models.ManyToManyField(
        "scheduling.Recruiter", verbose_name="рекрутёры", related_name="vacancies", blank=True
    )
    is_active = models.BooleanField("активна", default=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    # The vacancy of candidates who came without a link and had nothing to choose from (and of those before vacancies).
    is_default = models.BooleanField("по умолчанию", default=False, editable=False)

    class Meta:
        verbose_name = "вакансия"
        verbose_name_plural = "вакансии"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="vacancy_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.title


class VacancySource(models.Model):
    """One start link of a vacancy: `t.me/<bot>?start=<code>` printed on a poster or posted on a job board."""

    vacancy = models.ForeignKey(Vacancy, verbose_name="вакансия", on_delete=models.PROTECT, related_name="sources")
    name = models.CharField("источник", max_length=100, help_text="Например: hh.ru, пост в канале, плакат в магазине.")
    code = models.CharField("код ссылки", max_length=64, unique=True, validators=[START_CODE_VALIDATOR])
    is_active = models.BooleanField("активна", default=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "ссылка для старта"
        verbose_name_plural = "ссылки для старта"
        ordering = ["vacancy", "name"]

    def __str__(self) -> str:
        return f"{self.vacancy} — {self.name}"


class CandidateStatus(models.TextChoices):
    NEW = "new", "новый"
    CONSENT_DECLINED = "consent_declined", "отказался от обработки данных"
    IN_TEST1 = "in_test1", "проходит Тест 1"
    KNOCKED_OUT = "knocked_out", "не подходит (стоп-фактор)"
    CHOOSING_SLOT = "choosing_slot", "выбирает время"
    WAITING_DECISION = "waiting_decision", "ждёт решения рекрутёра"
    SCHEDULED = "scheduled", "собеседование согласовано"
    CONFIRMED = "confirmed", "подтвердил участие"
    REJECTED = "rejected", "отказ"
    INTERVIEWED = "interviewed", "собеседование прошло"
    ERASED = "erased", "данные стёрты"
    # After the interview (candidates/test2_services.py, scheduling/services/intro_day.py).
    TEST2_INVITED = "test2_invited", "приглашён на Тест 2"
    IN_TEST2 = "in_test2", "проходит Тест 2"
    TEST2_PASSED = "test2_passed", "прошёл Тест 2"
    INTRO_DAY_INVITED = "intro_day_invited", "приглашён на ознакомительный день"
    INTRO_DAY_CONFIRMED = "intro_day_confirmed", "придёт на ознакомительный день"
    HIRED = "hired", "прошёл ознакомительный день"


class RejectedStage(models.TextChoices):
    """Where a rejected candidate stopped (status `rejected`); Тест 1 knockouts have their own status."""

    NONE = "", "—"
    INTERVIEW = "interview", "собеседование"
    TEST2 = "test2", "Тест 2"
    INTRO_DAY = "intro_day", "ознакомительный день"


class Candidate(models.Model):
    # Null only after the candidate's data was erased: the row stays for counts and the audit trail.
    telegram_id = models.BigIntegerField("id в Telegram", unique=True, null=True, blank=True, editable=False)
    username = models.CharField("имя пользователя в Telegram", max_length=64, blank=True, default="", editable=False)
    full_name = models.CharField("ФИО", max_length=200, blank=True, default="", editable=False)
    city = models.ForeignKey(
        "scheduling.City", verbose_name="город", on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name="вакансия",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        editable=False,
    )
    source = models.ForeignKey(
        VacancySource,
        verbose_name="источник",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        editable=False,
    )
    status = models.CharField(
        "этап", max_length=32, choices=CandidateStatus.choices, default=CandidateStatus.NEW, editable=False
    )
    test1_answers = models.JSONField("ответы Теста 1", default=dict, blank=True, editable=False)
    # The Тест 1 version the candidate started: they finish it even when the vacancy moves on (None: the code bank).
    test1_version = models.ForeignKey(
        "candidates.QuestionnaireVersion",
        verbose_name="версия Теста 1",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        editable=False,
    )
    # {question key: the question text as the candidate saw it}, written with each answer.
    test1_questions = models.JSONField("вопросы Теста 1", default=dict, blank=True, editable=False)
    test1_step = models.CharField("текущий вопрос", max_length=64, blank=True, default="", editable=False)
    test1_completed_at = models.DateTimeField("Тест 1 пройден", null=True, blank=True, editable=False)
    knockout_reason = models.CharField("причина отсева", max_length=300, blank=True, default="", editable=False)
    is_reachable = models.BooleanField("доступен в Telegram", default=True, editable=False)
    unreachable_reason = models.CharField("почему недоступен", max_length=300, blank=True, default="", editable=False)
    consent_given_at = models.DateTimeField("согласие дано", null=True, blank=True, editable=False)
    consent_version = models.CharField("версия согласия", max_length=32, blank=True, default="", editable=False)
    consent_declined_at = models.DateTimeField("отказ от согласия", null=True, blank=True, editable=False)
    preferred_time_note = models.TextField("пожелание по времени", blank=True, default="", editable=False)
    preferred_time_at = models.DateTimeField("пожелание оставлено", null=True, blank=True, editable=False)
    # What the bot expects from this candidate next (e.g. free text with a preferred time).
    bot_state = models.CharField("чего ждёт бот", max_length=64, blank=True, default="", editable=False)
    is_sandbox = models.BooleanField("тестовый (песочница)", default=False, editable=False)
    rejected_stage = models.CharField(
        "этап отказа",
        max_length=16,
        choices=RejectedStage.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    erased_at = models.DateTimeField("данные стёрты", null=True, blank=True, editable=False)
    erased_by = models.CharField("кем стёрты", max_length=150, blank=True, default="", editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    last_activity_at = models.DateTimeField("последняя активность", auto_now=True)

    class Meta:
        verbose_name = "кандидат"
        verbose_name_plural = "кандидаты"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="candidate_status_idx"),
            # The funnel's cohort: who started in a period (scheduling/reports/funnel.py).
            models.Index(fields=["created_at"], name="candidate_created_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or (f"@{self.username}" if self.username else f"кандидат #{self.pk}")


class Test2Attempt(models.Model):
    """Тест 2 after a passed interview: one per interview booking, answered only by the invited candidate."""

    __test__ = False  # a model, not a pytest class, whatever its name says

    # Buttons carry this key: a press names the attempt it was sent for.
    key = models.UUIDField("ключ приглашения", default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(
        Candidate, verbose_name="кандидат", on_delete=models.CASCADE, related_name="test2_attempts"
    )
    slot = models.ForeignKey(
        "scheduling.Slot", verbose_name="собеседование", on_delete=models.PROTECT, related_name="test2_attempts"
    )
    reservation_id = models.UUIDField("номер заявки собеседования", unique=True)
    answers = models.JSONField("ответы", default=dict, blank=True)
    score = models.PositiveSmallIntegerField("баллы", null=True, blank=True)
    passed = models.BooleanField("прошёл", null=True, blank=True)
    invited_at = models.DateTimeField("приглашён", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    finished_at = models.DateTimeField("завершён", null=True, blank=True)

    class Meta:
        verbose_name = "Тест 2"
        verbose_name_plural = "Тест 2"
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=models.Q(finished_at__isnull=True), name="test2_one_open_per_candidate"
            ),
        ]

    def __str__(self) -> str:
        if self.finished_at is None:
            return "не завершён"
        return f"{self.score} — {'прошёл' if self.passed else 'не прошёл'}"


from candidates.vacancies.models import QuestionnaireOption, QuestionnaireQuestion, QuestionnaireVersion  # noqa: E402  (the app's models)

__all__ = [
    "Candidate",
    "CandidateStatus",
    "QuestionnaireOption",
    "QuestionnaireQuestion",
    "QuestionnaireVersion",
    "RejectedStage",
    "Test2Attempt",
    "Vacancy",
    "VacancySource",
]
