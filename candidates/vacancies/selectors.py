"""Read-only questions about vacancies: which are open where, their current Тест 1, who interviews for them.

A vacancy without cities is open in every active city; without recruiters, every recruiter of the city
interviews for it — so the default vacancy seeded from the old single bank behaves as before.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from candidates.models import Vacancy, VacancySource
from candidates.vacancies.models import QuestionnaireVersion
from scheduling.models import City
from scheduling.selectors import city_list_active


def default_vacancy() -> Vacancy | None:
    """The vacancy of candidates who came without a link and had nothing to choose from."""
    return Vacancy.objects.filter(is_default=True).first()


def current_version(vacancy_id: int | None) -> QuestionnaireVersion | None:
    """The vacancy's newest published Тест 1 version; the default vacancy's when it has none; else None."""
    versions = QuestionnaireVersion.objects.filter(published_at__isnull=False).order_by("-number")
    version = versions.filter(vacancy_id=vacancy_id).first() if vacancy_id else None
    return version or versions.filter(vacancy__is_default=True).first()


def vacancies_open() -> list[Vacancy]:
    """Active vacancies, by title."""
    return list(Vacancy.objects.filter(is_active=True).order_by("title"))


def vacancies_in_city(city_id: int) -> list[Vacancy]:
    """Active vacancies open in this city (those without cities are open everywhere)."""
    qs = Vacancy.objects.filter(is_active=True).annotate(n_cities=Count("cities"))
    return list(qs.filter(Q(n_cities=0) | Q(cities__pk=city_id)).distinct().order_by("title"))


def vacancy_cities(vacancy_id: int | None) -> QuerySet[City]:
    """Active cities (with an active recruiter) where this vacancy is open."""
    cities = city_list_active()
    if vacancy_id and Vacancy.cities.through.objects.filter(vacancy_id=vacancy_id).exists():
        cities = cities.filter(vacancies__pk=vacancy_id)
    return cities


def cities_with_vacancies() -> QuerySet[City]:
    """Active cities where at least one active vacancy is open: the plain /start's city buttons."""
    cities = city_list_active()
    everywhere = Vacancy.objects.filter(is_active=True, cities__isnull=True).exists()
    return cities if everywhere else cities.filter(vacancies__is_active=True).distinct()


def vacancy_recruiter_ids(vacancy_id: int | None) -> set[int] | None:
    """The recruiters who interview for this vacancy; None when any recruiter of the city does."""
    if not vacancy_id:
        return None
    ids = set(Vacancy.recruiters.through.objects.filter(vacancy_id=vacancy_id).values_list("recruiter_id", flat=True))
    return ids or None


def source_by_code(code: str) -> VacancySource | None:
    """The active start link with this code, of an active vacancy; None for an unknown or switched-off one."""
    return (
        VacancySource.objects.select_related("vacancy")
        .filter(code=code, is_active=True, vacancy__is_active=True)
        .first()
    )
