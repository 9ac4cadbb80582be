"""The Тест 1 bank: every validator, the follow-ups, both knockouts."""

from __future__ import annotations

import pytest

from candidates import questionnaire as q


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Иванов Иван", "Иванов Иван"),
        ("  иванова   анна  сергеевна ", "Иванова Анна Сергеевна"),
        ("Салтыков-Щедрин Михаил Евграфович", "Салтыков-Щедрин Михаил Евграфович"),
        ("Ким Ли Ён Хо", "Ким Ли Ён Хо"),
    ],
)
def test_full_name_accepts_two_to_four_cyrillic_words(raw: str, expected: str) -> None:
    assert q.clean_full_name(raw) == expected


@pytest.mark.parametrize(
    "raw", ["Иван", "John Smith", "Иванов Иван Иванович Петрович Лишний", "Иванов 123", "", "-- --"]
)
def test_full_name_refuses_anything_else_with_a_hint(raw: str) -> None:
    with pytest.raises(q.InvalidAnswer, match="кириллицей"):
        q.clean_full_name(raw)


@pytest.mark.parametrize(("raw", "expected"), [("18", 18), ("25 лет", 25), (" 60 ", 60), ("33 года", 33)])
def test_age_accepts_18_to_60(raw: str, expected: int) -> None:
    assert q.clean_age(raw) == expected


@pytest.mark.parametrize(("raw", "hint"), [("17", "от 18 до 60"), ("61", "от 18 до 60"), ("двадцать", "числом")])
def test_age_refuses_out_of_range_and_words(raw: str, hint: str) -> None:
    with pytest.raises(q.InvalidAnswer, match=hint):
        q.clean_age(raw)


def test_free_text_needs_letters_and_at_most_1000_characters() -> None:
    assert q.clean_free_text("  опыт   продаж ") == "опыт продаж"
    for raw in ("", "1", "!!!", "а" * 1001):
        with pytest.raises(q.InvalidAnswer):
            q.clean_free_text(raw)


def test_option_questions_refuse_typed_text_and_unknown_codes() -> None:
    status = q.question("status")
    assert status is not None
    with pytest.raises(q.InvalidAnswer, match="кнопкой"):
        q.clean_text(status, "Работаю")
    with pytest.raises(q.InvalidAnswer):
        q.clean_option(status, "astronaut")
    assert q.clean_option(status, "work").text == "Работаю"


def test_workers_and_job_seekers_get_the_notice_period_follow_up() -> None:
    base = {"full_name": "x", "city": {}, "age": 20}
    for status in ("work", "search"):
        keys = [question.key for question in q.path({**base, "status": status})]
        assert "notice_period" in keys and "study_mode" not in keys
    assert len(q.path({**base, "status": "work"})) == 11


def test_students_get_study_mode_schedule_fit_and_flexible_plan() -> None:
    keys = [question.key for question in q.path({"status": "study"})]
    assert keys[4:7] == ["study_mode", "study_fits", "flexible_plan"]
    assert "notice_period" not in keys


def test_the_base_path_has_ten_questions_and_progress_counts_them() -> None:
    assert len(q.path({})) == 10
    assert q.progress("full_name", {}) == ("1", 10)
    assert q.progress("expectations", {}) == ("10", 10)


def _headers(choices: dict[str, str]) -> list[str]:
    """«n из N» of every question a candidate meets, answering as `choices` says (anything else: "x")."""
    answers: dict[str, object] = {}
    headers = []
    while (key := q.next_key(answers)) is not None:
        n, total = q.progress(key, answers)
        headers.append(f"{n} из {total}")
        answers[key] = choices.get(key, "x")
    return headers


@pytest.mark.parametrize(
    ("choices", "follow_ups"),
    [
        pytest.param({"status": "work"}, ["4а из 10"], id="working-notice-period"),
        pytest.param(
            {"status": "study", "study_fits": "yes"}, ["4а из 10", "4б из 10", "4в из 10"], id="studying-flexible-plan"
        ),
        pytest.param({"city": q.OTHER_CITY}, ["2а из 10"], id="city-not-listed"),
    ],
)
def test_follow_ups_are_lettered_after_their_question_and_the_total_never_changes(
    choices: dict[str, str], follow_ups: list[str]
) -> None:
    headers = _headers(choices)

    assert [h for h in headers if not h.split()[0].isdigit()] == follow_ups
    assert [h for h in headers if h.split()[0].isdigit()] == [f"{n} из 10" for n in range(1, 11)]
    assert headers.index(follow_ups[0]) == headers.index(f"{follow_ups[0][0]} из 10") + 1


def test_a_city_we_do_not_serve_asks_which_city_and_ends_test1_with_it() -> None:
    requested = q.question(q.CITY_REQUESTED)
    assert requested is not None
    assert q.next_key({"full_name": "x", "city": q.OTHER_CITY}) == q.CITY_REQUESTED
    assert q.next_key({"full_name": "x", "city": {"id": 1, "name": "Москва"}}) == "age"
    assert requested.knockout_reason(q.clean_city_name("  казань ")) == "город не обслуживается: Казань"


@pytest.mark.parametrize("raw", ["Казань", "Нижний Новгород", "Ростов-на-Дону", "Набережные Челны", "St. Petersburg"])
def test_a_typed_city_is_letters_with_spaces_or_hyphens(raw: str) -> None:
    assert q.clean_city_name(raw) == raw


@pytest.mark.parametrize("raw", ["", "К", "123", "Казань, звоните 8-999-123-45-67", "а" * 61, "!!!"])
def test_anything_else_as_a_city_gets_a_hint(raw: str) -> None:
    with pytest.raises(q.InvalidAnswer, match="название города"):
        q.clean_city_name(raw)


def test_knockouts_are_the_hybrid_refusal_and_a_study_that_does_not_fit() -> None:
    knockouts = {(question.key, o.code) for question in q.BANK for o in question.options if o.knockout}
    assert knockouts == {("hybrid", "not_ready"), ("study_fits", "no"), ("study_fits", "hard")}


def test_next_key_walks_the_path_and_ends_with_none() -> None:
    answers: dict[str, object] = {}
    seen = []
    while (key := q.next_key(answers)) is not None:
        seen.append(key)
        answers[key] = "work" if key == "status" else "x"
    assert seen[0] == "full_name" and seen[-1] == "expectations" and len(seen) == 11


def test_answers_display_shows_the_city_typed_by_a_candidate_we_do_not_serve() -> None:
    shown = q.answers_display({"city": q.OTHER_CITY, q.CITY_REQUESTED: "Казань"})
    assert shown == [
        ("В каком городе вы ищете работу?", "Моего города нет в списке"),
        ("Напишите, пожалуйста, в каком городе вы ищете работу.", "Казань"),
    ]


def test_answers_display_turns_codes_back_into_words() -> None:
    shown = q.answers_display({"status": "study", "city": {"id": 1, "name": "Москва"}, "age": 25})
    assert shown == [
        ("В каком городе вы ищете работу?", "Москва"),
        ("Сколько вам лет?", "25"),
        ("Чем вы сейчас занимаетесь?", "Учусь"),
    ]
