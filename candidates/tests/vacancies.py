"""Vacancies for tests: «Курьер — Москва» with its own six questions, published the way the lead publishes."""

from __future__ import annotations

from collections.abc import Iterable

from candidates import questionnaire as q
from candidates.models import Vacancy, VacancySource
from candidates.vacancies.editing import seed_from_bank, version_publish
from candidates.vacancies.models import QuestionnaireVersion
from scheduling.models import City, Recruiter

COURIER_BANK: tuple[q.Question, ...] = (
    q.Question(key="full_name", text="Как вас зовут? Фамилия и имя.", clean=q.clean_full_name, answer_type=q.FULL_NAME),
    q.Question(key="city", text="Где хотите развозить заказы?", kind=q.CITY),
    q.Question(key="age", text="Сколько вам полных лет?", clean=q.clean_age, answer_type=q.AGE),
    q.Question(
        key="transport",
        text="На чём будете развозить заказы?",
        kind=q.OPTIONS,
        options=(
            q.Option("bike", "Велосипед"),
            q.Option("foot", "Пешком"),
            q.Option("none", "Пока не знаю", knockout="нет транспорта и не готов(а) ходить пешком"),
        ),
    ),
    q.Question(
        key="shifts",
        text="Сколько смен в неделю готовы брать?",
        kind=q.OPTIONS,
        options=(q.Option("two", "1–2"), q.Option("four", "3–4"), q.Option("more", "5 и больше")),
    ),
    q.Question(key="experience", text="Работали курьером раньше? Расскажите коротко.", clean=q.clean_free_text),
)

# Answers to COURIER_BANK after the city: what a candidate from the job board types and taps.
COURIER_PATH: list[tuple[str, str]] = [
    ("text", "25"),
    ("button", "Велосипед"),
    ("button", "3–4"),
    ("text", "Два года развозил еду"),
]

SHOP_BANK: tuple[q.Question, ...] = (
    q.Question(key="full_name", text="Ваши фамилия и имя?", clean=q.clean_full_name, answer_type=q.FULL_NAME),
    q.Question(key="city", text="В каком городе удобно работать?", kind=q.CITY),
    q.Question(
        key="cashier", text="Работали на кассе?", kind=q.OPTIONS, options=(q.Option("yes", "Да"), q.Option("no", "Нет"))
    ),
)


def make_vacancy(
    title: str,
    bank: tuple[q.Question, ...],
    *,
    cities: Iterable[City] = (),
    recruiters: Iterable[Recruiter] = (),
    sources: Iterable[tuple[str, str]] = (),
) -> Vacancy:
    """An active vacancy whose version 1 of Тест 1 is `bank`, published, with start links (name, code)."""
    vacancy = Vacancy.objects.create(title=title)
    vacancy.cities.set(list(cities))
    vacancy.recruiters.set(list(recruiters))
    version = QuestionnaireVersion.objects.create(vacancy=vacancy, number=1)
    seed_from_bank(bank, version=version)
    version_publish(version_id=version.pk)
    for name, code in sources:
        VacancySource.objects.create(vacancy=vacancy, name=name, code=code)
    return vacancy
