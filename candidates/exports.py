"""The candidate list's export to CSV and XLSX: the rows the list shows, Russian headers, erased rows without data.

An erased candidate's row stays in the file (the counts must add up) with only what is not personal: the
number, the city, the vacancy and source, the stage and the dates. The name, username, Telegram id, answers
and preferred time are left out by the status check here even if erasure had missed a field.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from candidates.labels import candidate_label, is_erased
from candidates.models import Candidate
from scheduling.admin.exports import ViewerExportMixin, local_time
from scheduling.admin.scoping import DEFAULT_ADMIN_TZ


def answers_text(candidate: Candidate) -> str:
    """«вопрос: ответ» lines in the order of the candidate's Тест 1 version (the same rows as the candidate page)."""
    from candidates.admin import answers_in_order  # the admin imports this module: resolve at call time

    rows = answers_in_order(candidate.test1_answers or {}, candidate)
    return "\n".join(f"{question}: {answer}" for question, answer in rows)


class CandidateExportResource(ViewerExportMixin, resources.Resource):
    candidate_id = fields.Field(attribute="pk", column_name="Номер кандидата")
    full_name = fields.Field(column_name="ФИО")
    username = fields.Field(column_name="Имя пользователя в Telegram")
    telegram_id = fields.Field(column_name="id в Telegram")
    city = fields.Field(attribute="city__name", column_name="Город")
    vacancy = fields.Field(attribute="vacancy__title", column_name="Вакансия")
    source = fields.Field(attribute="source__name", column_name="Источник")
    status = fields.Field(column_name="Этап")
    rejected_stage = fields.Field(column_name="Этап отказа")
    knockout_reason = fields.Field(attribute="knockout_reason", column_name="Причина отсева")
    test1_completed_at = fields.Field(column_name="Тест 1 пройден")
    answers = fields.Field(column_name="Ответы Теста 1")
    preferred_time = fields.Field(column_name="Пожелание по времени")
    reachable = fields.Field(column_name="Доступен в Telegram")
    created_at = fields.Field(column_name="Создан")
    erased_at = fields.Field(column_name="Данные стёрты")
    zone = fields.Field(column_name="Часовой пояс")

    class Meta:
        name = "Кандидаты"

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        # The Тест 1 version comes along: each candidate's answers read in their version's order (cached per version).
        return queryset.select_related("city", "vacancy", "source", "test1_version")

    def _tz(self, candidate: Candidate) -> str:
        return self.viewer_tz or (candidate.city.tz if candidate.city else DEFAULT_ADMIN_TZ)

    def dehydrate_full_name(self, candidate: Candidate) -> str:
        return candidate_label(candidate) if is_erased(candidate) else candidate.full_name

    def dehydrate_username(self, candidate: Candidate) -> str:
        return "" if is_erased(candidate) else candidate.username

    def dehydrate_telegram_id(self, candidate: Candidate) -> str:
        return "" if is_erased(candidate) or candidate.telegram_id is None else str(candidate.telegram_id)

    def dehydrate_status(self, candidate: Candidate) -> str:
        return candidate.get_status_display()

    def dehydrate_rejected_stage(self, candidate: Candidate) -> str:
        return candidate.get_rejected_stage_display() if candidate.rejected_stage else ""

    def dehydrate_test1_completed_at(self, candidate: Candidate) -> str:
        return local_time(candidate.test1_completed_at, self._tz(candidate))

    def dehydrate_answers(self, candidate: Candidate) -> str:
        return "" if is_erased(candidate) else answers_text(candidate)

    def dehydrate_preferred_time(self, candidate: Candidate) -> str:
        return "" if is_erased(candidate) else candidate.preferred_time_note

    def dehydrate_reachable(self, candidate: Candidate) -> str:
        return "да" if candidate.is_reachable else "нет"

    def dehydrate_created_at(self, candidate: Candidate) -> str:
        return local_time(candidate.created_at, self._tz(candidate))

    def dehydrate_erased_at(self, candidate: Candidate) -> str:
        return local_time(candidate.erased_at, self._tz(candidate))

    def dehydrate_zone(self, candidate: Candidate) -> str:
        return self._tz(candidate)
