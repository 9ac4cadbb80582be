"""The outbox: one row per message intent, the idempotency ledger and the delivery record."""

from django.conf import settings
from django.db import models


class NotificationKind(models.TextChoices):
    RESERVATION_RECEIVED = "reservation_received", "заявка принята (кандидату)"
    RECRUITER_NEW_REQUEST = "recruiter_new_request", "новая заявка (рекрутёру)"
    APPROVED = "approved", "собеседование согласовано"
    RESCHEDULE_REQUESTED = "reschedule_requested", "просьба выбрать другое время"
    REJECTED = "rejected", "отказ"
    CONFIRM_REQUEST = "confirm_request", "запрос подтверждения (за 2 часа)"
    REMINDER_1H = "reminder_1h", "напоминание (за 1 час)"
    MEETING_LINK = "meeting_link", "ссылка на встречу"
    RECRUITER_CANDIDATE_CONFIRMED = "recruiter_candidate_confirmed", "кандидат подтвердил (рекрутёру)"
    RECRUITER_CANDIDATE_DECLINED = "recruiter_candidate_declined", "кандидат не сможет (рекрутёру)"
    RECRUITER_CANDIDATE_CANCELED = "recruiter_candidate_canceled", "кандидат отменил запись (рекрутёру)"
    PENDING_EXPIRED = "pending_expired", "заявка истекла (кандидату)"
    RECRUITER_PENDING_EXPIRED = "recruiter_pending_expired", "заявка истекла (рекрутёру)"
    SLOT_CANCELED = "slot_canceled", "слот отменён рекрутёром (кандидату)"
    RECRUITER_ATTENDANCE = "recruiter_attendance", "кандидат пришёл? (рекрутёру, после собеседования)"
    RECRUITER_DAILY_DIGEST = "recruiter_daily_digest", "утренняя сводка (рекрутёру)"
    # After the interview: Тест 2 and the intro day.
    INTERVIEW_FAILED = "interview_failed", "отказ после собеседования"
    TEST2_INVITATION = "test2_invitation", "приглашение на Тест 2"
    TEST2_PASSED = "test2_passed", "Тест 2 пройден (кандидату)"
    TEST2_FAILED = "test2_failed", "Тест 2 не пройден (кандидату)"
    RECRUITER_TEST2_RESULT = "recruiter_test2_result", "результат Теста 2 (рекрутёру)"
    INTRO_DAY_INVITATION = "intro_day_invitation", "приглашение на ознакомительный день"
    INTRO_DAY_REMINDER = "intro_day_reminder", "напоминание об ознакомительном дне (за 3 часа)"
    INTRO_DAY_CANCELED = "intro_day_canceled", "ознакомительный день отменён (кандидату)"
    RECRUITER_INTRO_CONFIRMED = "recruiter_intro_confirmed", "придёт на ознакомительный день (рекрутёру)"
    RECRUITER_INTRO_DECLINED = "recruiter_intro_declined", "не сможет на ознакомительный день (рекрутёру)"
    RECRUITER_INTRO_ATTENDANCE = "recruiter_intro_attendance", "пришёл на ознакомительный день? (рекрутёру)"


class Recipient(models.TextChoices):
    CANDIDATE = "candidate", "кандидат"
    RECRUITER = "recruiter", "рекрутёр"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "ожидает отправки"
    SENDING = "sending", "отправляется"
    SENT = "sent", "доставлено"
    FAILED = "failed", "ошибка"
    CANCELED = "canceled", "отменено"
    SKIPPED = "skipped", "пропущено"


OPEN_STATUSES = (NotificationStatus.PENDING, NotificationStatus.SENDING)


class NotificationLog(models.Model):
    kind = models.CharField("тип", max_length=40, choices=NotificationKind.choices)
    recipient = models.CharField("получатель", max_length=16, choices=Recipient.choices)
    slot = models.ForeignKey(
        "scheduling.Slot",
        verbose_name="слот",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name="кандидат",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recruiter = models.ForeignKey(
        "scheduling.Recruiter",
        verbose_name="рекрутёр",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    reservation_id = models.UUIDField("номер заявки", null=True, blank=True)
    # Snapshot of the slot start this message was written for: a reminder whose slot moved is stale.
    slot_starts_at = models.DateTimeField("начало слота на момент записи", null=True, blank=True)
    text = models.TextField("текст", blank=True, default="")
    reply_markup = models.JSONField("кнопки", null=True, blank=True)
    due_at = models.DateTimeField("отправить не раньше", db_index=True)
    status = models.CharField(
        "статус", max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("последняя ошибка", blank=True, default="")
    claimed_at = models.DateTimeField("взято в отправку", null=True, blank=True)
    telegram_message_id = models.BigIntegerField("id сообщения в Telegram", null=True, blank=True)
    chat_id = models.BigIntegerField("id чата в Telegram", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="notif_status_due_idx"),
            models.Index(fields=["slot", "-created_at"], name="notif_slot_created_idx"),
            models.Index(fields=["candidate", "-created_at"], name="notif_candidate_created_idx"),
        ]
        constraints = [
            # Invariant 4: keyed by candidate and reservation, so a new booking always gets new rows (defect P0).
            models.UniqueConstraint(
                fields=["kind", "slot", "candidate", "reservation_id"], name="notification_idempotency_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.get_recipient_display()} ({self.get_status_display()})"


class DeliveryPace(models.Model):
    """Shared send pacing: the earliest next send time per chat and overall, for every worker process."""

    # "global" for the overall bucket, "chat:<id>" per chat.
    key = models.CharField("ключ", max_length=40, primary_key=True)
    # Epoch seconds (time.time()): compared with the clock of whichever worker reads it.
    next_at = models.FloatField("следующая отправка не раньше (epoch, с)", default=0.0)

    class Meta:
        verbose_name = "темп отправки"
        verbose_name_plural = "темп отправки"

    def __str__(self) -> str:
        return f"{self.key} ≥ {self.next_at:.3f}"


class TextOverride(models.Model):
    """One version of a bot text for a vacancy and/or a city (notifications/copy). Rows are never changed:
    the latest row of a (key, vacancy, city) is the current text; an inactive latest row means "the default"."""

    key = models.CharField("текст", max_length=64)
    vacancy = models.ForeignKey(
        "candidates.Vacancy", verbose_name="вакансия", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    city = models.ForeignKey(
        "scheduling.City", verbose_name="город", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField("текст сообщения", blank=True, default="")
    is_active = models.BooleanField(
        "действует", default=True, help_text="Снимите, чтобы вернуть текст по умолчанию для этой вакансии и города."
    )
    reverted_from = models.ForeignKey(
        "self", verbose_name="возврат к версии", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто изменил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "текст бота"
        verbose_name_plural = "тексты бота"
        ordering = ["-id"]
        indexes = [models.Index(fields=["key", "vacancy", "city", "id"], name="textoverride_scope_idx")]

    def __str__(self) -> str:
        return f"{self.key} #{self.pk}"
