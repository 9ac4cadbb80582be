"""A vacancy's Тест 1 as rows: versions, questions, options. A published version never changes again.

Editing makes a draft (a copy of the current version); publishing it switches the vacancy's new
candidates to it, while a candidate who started on an older version finishes on that one.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from candidates import questionnaire

# Keys and codes travel inside callback_data («an:<key>.<code>»): no dots, nothing Telegram would mangle.
SLUG_VALIDATOR = RegexValidator(r"^[a-z0-9_]{1,32}$", "Только строчные латинские буквы, цифры и «_», до 32 символов.")
ANSWER_TYPE_CHOICES = [(name, label) for name, (label, _, _) in questionnaire.ANSWER_TYPES.items()]


class QuestionnaireVersion(models.Model):
    vacancy = models.ForeignKey(
        "candidates.Vacancy", verbose_name="вакансия", on_delete=models.PROTECT, related_name="test1_versions"
    )
    number = models.PositiveIntegerField("версия")
    published_at = models.DateTimeField("опубликована", null=True, blank=True, editable=False)
    note = models.CharField("что изменилось", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    class Meta:
        verbose_name = "версия Теста 1"
        verbose_name_plural = "версии Теста 1"
        ordering = ["vacancy", "-number"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "number"], name="test1_version_number_unique")]

    def __str__(self) -> str:
        state = "опубликована" if self.published_at else "черновик"
        return f"{self.vacancy} — Тест 1, версия {self.number} ({state})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class QuestionnaireQuestion(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name="версия", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("порядок", default=0, help_text="Вопросы идут по возрастанию номера.")
    key = models.CharField("ключ", max_length=32, validators=[SLUG_VALIDATOR], help_text="Например: experience.")
    text = models.TextField("текст вопроса")
    answer_type = models.CharField(
        "тип ответа", max_length=16, choices=ANSWER_TYPE_CHOICES, default=questionnaire.FREE_TEXT
    )
    when_key = models.CharField(
        "уточняет вопрос",
        max_length=32,
        blank=True,
        default="",
        help_text="Ключ вопроса выше: этот вопрос задаётся только после него и только при ответах ниже.",
    )
    when_codes = models.CharField(
        "при ответах",
        max_length=200,
        blank=True,
        default="",
        help_text="Коды вариантов через запятую, например: study,work.",
    )
    is_knockout = models.BooleanField("отсев", default=False, help_text="Любой ответ отсеивает кандидата.")
    knockout_reason = models.CharField(
        "причина отсева", max_length=300, blank=True, default="", help_text="«{answer}» подставит ответ."
    )

    class Meta:
        verbose_name = "вопрос Теста 1"
        verbose_name_plural = "вопросы Теста 1"
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="test1_question_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    @property
    def condition_codes(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.when_codes.split(",") if c.strip())

    def clean(self) -> None:
        from candidates.vacancies.validation import question_problems, raise_problems

        raise_problems(question_problems(self))


class QuestionnaireOption(models.Model):
    question = models.ForeignKey(
        QuestionnaireQuestion, verbose_name="вопрос", on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    code = models.CharField("код", max_length=32, validators=[SLUG_VALIDATOR], help_text="Например: yes.")
    text = models.CharField("текст кнопки", max_length=100)
    is_knockout = models.BooleanField("отсев", default=False)
    knockout_reason = models.CharField("причина отсева", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "вариант ответа"
        verbose_name_plural = "варианты ответа"
        ordering = ["question", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="test1_option_code_unique")]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        from candidates.vacancies.validation import option_problems, raise_problems

        raise_problems(option_problems(self, question_key=self.question.key if self.question_id else ""))
