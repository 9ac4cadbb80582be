"""Domain errors: every refused intent says why, with a stable code the interfaces translate."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal by the service layer."""

    code = "domain_error"
    message = "Действие невозможно."

    def __init__(self, message: str | None = None, **context: object) -> None:
        self.context = context
        super().__init__(message or self.message)


class SlotNotFound(DomainError):
    code = "slot_not_found"
    message = "Слот не найден."


class SlotTaken(DomainError):
    code = "slot_taken"
    message = "Этот слот уже занят."


class AlreadyHasLiveSlot(DomainError):
    code = "already_has_live_slot"
    message = "У кандидата уже есть активная запись."

    @property
    def slot_id(self) -> int | None:
        return self.context.get("slot_id")  # type: ignore[return-value]


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    message = "Переход из текущего статуса невозможен."


class StaleReservation(DomainError):
    code = "stale_reservation"
    message = "Эта запись уже неактуальна."


class RecruiterInactive(DomainError):
    code = "recruiter_inactive"
    message = "Рекрутёр сейчас не принимает заявки."


class SlotInPast(DomainError):
    code = "slot_in_past"
    message = "Время слота уже прошло."


class SlotOverlap(DomainError):
    code = "slot_overlap"
    message = "Слот пересекается с другим слотом рекрутёра."


class CandidateNotEligible(DomainError):
    code = "candidate_not_eligible"
    message = "Кандидат не может записаться на собеседование."


class CityNotServed(DomainError):
    code = "city_not_served"
    message = "Рекрутёр не работает в этом городе."


class InvalidInput(DomainError):
    code = "invalid_input"
    message = "Неверные данные."
