"""The plain /start's vacancy choice: the city first, then the vacancies open there."""

from __future__ import annotations

from botapp.views import Reply
from candidates.vacancies.selectors import cities_with_vacancies, vacancies_in_city
from notifications.conversation import keyboards, texts
from notifications.conversation.callbacks import Action, encode
from scheduling.models import City


def city_choice(*, header: str = "") -> Reply:
    """«В каком городе вы ищете работу?» with the active cities that have an open vacancy."""
    cities = list(cities_with_vacancies().values_list("pk", "name"))
    if not cities:
        return Reply(texts.NO_CITIES)
    buttons = [keyboards.button(name, encode(Action.VACANCY_CITY, pk)) for pk, name in cities]
    text = f"{header}\n\n{texts.VACANCY_CITY_ASK}" if header else texts.VACANCY_CITY_ASK
    return Reply(text, keyboards.markup(*[buttons[i : i + 2] for i in range(0, len(buttons), 2)]))


def vacancy_choice(city: City) -> Reply:
    """The vacancies open in the city, one button each, and «Другой город»."""
    vacancies = vacancies_in_city(city.pk)
    if not vacancies:
        return city_choice(header=texts.VACANCY_NONE_IN_CITY.format(city=city.name))
    rows = [[keyboards.button(v.title, encode(Action.VACANCY, f"{v.pk}.{city.pk}"))] for v in vacancies]
    back = [keyboards.button(texts.BTN_OTHER_CITY, encode(Action.VACANCY_CITY, "-"))]
    return Reply(texts.VACANCY_CHOOSE.format(city=city.name), keyboards.markup(*rows, back))
