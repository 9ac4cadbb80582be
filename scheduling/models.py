"""Cities, recruiters, interview slots and the audit trail of every slot transition."""

import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from scheduling.validators import validate_timezone


class City(models.Model):
    name = models.CharField("город", max_length=100, unique=True)
    tz = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow", validators=[validate_timezone])
    is_active = models.BooleanField("активен", default=True)

    class Meta:
        verbose_name = "город"
        verbose_name_plural = "города"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz)


def new_calendar_token() -> str:
    """The secret part of a recruiter's calendar feed URL (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class Recruiter(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь админки",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruiter",
    )
    name = models.CharField("имя", max_length=150, unique=True)
    tz = models.CharField("часовой пояс", max_length=64, default="Europe/Moscow", validators=[validate_timezone])
    meeting_url = models.CharField(
        "ссылка на встречу или адрес",
        max_length=500,
        blank=True,
        help_text="Отправляется кандидату после подтверждения.",
    )
    telegram_chat_id = models.BigIntegerField("id чата в Telegram", null=True, blank=True, unique=True, editable=False)
    telegram_bind_code = models.CharField(
        "код привязки Telegram", max_length=32, blank=True, default="", editable=False
    )
    telegram_bind_code_expires_at = models.DateTimeField(
        "код привязки действует до", null=True, blank=True, editable=False
    )
    cities = models.ManyToManyField(City, verbose_name="города", related_name="recruiters", blank=True)
    is_active = models.BooleanField("активен", default=True)
    daily_digest = models.BooleanField(
        "утренняя сводка в Telegram",
        default=True,
        help_text="В 08:00 по времени рекрутёра: заявки и собеседования дня.",
    )
    # The intro-day invitation being asked in the recruiter's chat (botapp/flows/intro_invite.py): kept here so
    # a bot restart loses no answer; {} when none.
    intro_draft = models.JSONField(
        "черновик приглашения на ознакомительный день", default=dict, blank=True, editable=False
    )
    # The feed URL's secret: whoever knows it reads the calendar, so regenerating it revokes the old URL.
    calendar_token = models.CharField(
        "ключ календаря", max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta:
        verbose_name = "рекрутёр"
        verbose_name_plural = "рекрутёры"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz)


class SlotStatus(models.TextChoices):
    FREE = "free", "свободен"
    PENDING = "pending", "ожидает решения"
    BOOKED = "booked", "согласован"
    CONFIRMED = "confirmed_by_candidate", "подтверждён кандидатом"
    CANCELED = "canceled", "отменён"


LIVE_STATUSES = (SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED)


class SlotOutcome(models.TextChoices):
    NONE = "", "—"
    ATTENDED = "attended", "пришёл"
    NO_SHOW = "no_show", "не пришёл"
    PASSED = "passed", "прошёл собеседование"
    FAILED = "failed", "не прошёл собеседование"


class SlotPurpose(models.TextChoices):
    INTERVIEW = "interview", "собеседование"
    INTRO_DAY = "intro_day", "ознакомительный день"


class Slot(models.Model):
    recruiter = models.ForeignKey(Recruiter, verbose_name="рекрутёр", on_delete=models.PROTECT, related_name="slots")
    city = models.ForeignKey(City, verbose_name="город", on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField("начало")
    duration_min = models.PositiveSmallIntegerField("длительность, мин", default=60)
    # Kept with starts_at by the service: the overlap constraint needs an immutable range expression.
    ends_at = models.DateTimeField("окончание", editable=False)
    status = models.CharField(
        "статус", max_length=32, choices=SlotStatus.choices, default=SlotStatus.FREE, editable=False
    )
    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name="кандидат",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
        editable=False,
    )
    reservation_id = models.UUIDField("номер заявки", null=True, blank=True, editable=False)
    reserved_at = models.DateTimeField("заявка создана", null=True, blank=True, editable=False)
    decided_at = models.DateTimeField("решение принято", null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField("подтверждён кандидатом", null=True, blank=True, editable=False)
    outcome = models.CharField(
        "итог", max_length=16, choices=SlotOutcome.choices, blank=True, default="", editable=False
    )
    outcome_note = models.TextField("комментарий к итогу", blank=True, default="", editable=False)
    # An intro day is a slot of its own kind, created for an invited candidate (scheduling/services/intro_day.py).
    purpose = models.CharField(
        "назначение",
        max_length=16,
        choices=SlotPurpose.choices,
        default=SlotPurpose.INTERVIEW,
        db_default=SlotPurpose.INTERVIEW,
        editable=False,
    )
    intro_address = models.CharField("адрес", max_length=300, blank=True, default="", db_default="", editable=False)
    intro_contact = models.CharField(
        "контактное лицо", max_length=200, blank=True, default="", db_default="", editable=False
    )
    intro_note = models.TextField("примечание", blank=True, default="", db_default="", editable=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "слот"
        verbose_name_plural = "слоты"
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="slot_status_starts_idx"),
            models.Index(fields=["recruiter", "city", "status", "starts_at"], name="slot_rec_city_status_idx"),
        ]
        constraints = [
            # Invariant 2: one live interview per candidate overall, whatever the vacancy or recruiter (confirmed
            # included: defect P1), and one live intro day; the two may be live together.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status__in=["pending", "booked", "confirmed_by_candidate"], purpose="interview"),
                name="slot_one_live_interview_per_candidate",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status__in=["pending", "booked", "confirmed_by_candidate"], purpose="intro_day"),
                name="slot_one_live_intro_day_per_candidate",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=["pending", "booked", "confirmed_by_candidate"],
                        candidate__isnull=False,
                        reservation_id__isnull=False,
                    )
                    | Q(status__in=["free", "canceled"], candidate__isnull=True, reservation_id__isnull=True)
                ),
                name="slot_live_has_candidate_and_reservation",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["reservation_id"], name="slot_reservation_id_unique"),
        ]

    def __str__(self) -> str:
        # Without a viewer, the city's zone, named: the admin renders titles in the viewer's zone itself.
        local = self.starts_at.astimezone(self.city.zone)
        return f"{self.recruiter}, {local:%d.%m.%Y %H:%M} ({self.city.tz}), {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_intro_day(self) -> bool:
        return self.purpose == SlotPurpose.INTRO_DAY


class Actor(models.TextChoices):
    CANDIDATE = "candidate", "кандидат"
    RECRUITER = "recruiter", "рекрутёр"
    SYSTEM = "system", "система"


class SlotEvent(models.Model):
    """One row per transition: who moved which slot from what to what, and why."""

    slot = models.ForeignKey(Slot, verbose_name="слот", on_delete=models.CASCADE, related_name="events")
    actor = models.CharField("кто", max_length=16, choices=Actor.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name="кандидат",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slot_events",
    )
    from_status = models.CharField("было", max_length=32, choices=SlotStatus.choices)
    to_status = models.CharField("стало", max_length=32, choices=SlotStatus.choices)
    reservation_id = models.UUIDField("номер заявки", null=True, blank=True)
    reason = models.CharField("причина", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "событие слота"
        verbose_name_plural = "история слотов"
        ordering = ["created_at", "id"]
        # The funnel finds a request's decision by its reservation id (scheduling/reports/funnel.py).
        indexes = [models.Index(fields=["reservation_id"], name="slotevent_reservation_idx")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} ({self.get_actor_display()})"


class MeetingPlace(models.Model):
    """Where a recruiter meets candidates of one city: a link or an office address (a recruiter with two offices
    has two). Without one, the recruiter's meeting_url is used."""

    recruiter = models.ForeignKey(
        Recruiter, verbose_name="рекрутёр", on_delete=models.CASCADE, related_name="meeting_places"
    )
    city = models.ForeignKey(City, verbose_name="город", on_delete=models.CASCADE, related_name="meeting_places")
    place = models.CharField(
        "ссылка или адрес",
        max_length=500,
        help_text="Ссылка на видеовстречу или адрес офиса с ориентиром. Кандидат получит её после подтверждения.",
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "место встречи"
        verbose_name_plural = "места встреч"
        ordering = ["recruiter", "city"]
        constraints = [models.UniqueConstraint(fields=["recruiter", "city"], name="meeting_place_one_per_city")]

    def __str__(self) -> str:
        return f"{self.recruiter}, {self.city}: {self.place}"
