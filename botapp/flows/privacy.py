"""/delete_my_data and its buttons: ask once, then erase everything about the person (issue 7).

Nothing here registers a candidate: asking whether we hold data must not create the data.
"""

from __future__ import annotations

from botapp import screens
from botapp.flows.once import anonymous_callback_once
from botapp.views import Outcome, Press, Reply, outcome
from candidates.privacy import candidate_erase_by_telegram_id, personal_data_summary
from notifications.conversation import privacy_texts


def delete_my_data(*, telegram_id: int) -> Outcome:
    """/delete_my_data: the question, naming the bookings an erasure would cancel."""
    return outcome(screens.erasure_question(personal_data_summary(telegram_id=telegram_id)))


@anonymous_callback_once
def delete_my_data_pressed(press: Press) -> Outcome:
    """«Удалить мои данные»: the same question as /delete_my_data."""
    return outcome(screens.erasure_question(personal_data_summary(telegram_id=press.telegram_id)), result="asked")


@anonymous_callback_once
def erase_yes_pressed(press: Press) -> Outcome:
    """«Да, удалить»: erase the presser's data; the recruiter of a canceled booking is told by the outbox."""
    report = candidate_erase_by_telegram_id(telegram_id=press.telegram_id)
    return Outcome(edit=screens.erasure_done(report), answer=privacy_texts.ERASED_ANSWER, result="erased")


@anonymous_callback_once
def erase_no_pressed(press: Press) -> Outcome:
    """«Нет, оставить»: nothing changes."""
    return Outcome(edit=Reply(privacy_texts.KEPT), answer=privacy_texts.KEPT_ANSWER, result="kept")
