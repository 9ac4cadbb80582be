"""/delete_my_data and «Удалить мои данные»: ask once, then erase everything about the person (issue 7).

Registered in group -1 and ending with ApplicationHandlerStop, so the command wins over any
other handler and our `pd:` buttons never reach the catch-all for unknown callbacks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, filters

from botapp.db import run_sync
from botapp.handlers.common import Context, answer_quietly, malformed, render
from botapp.views import Outcome, Reply
from candidates.privacy import (
    ErasureReport,
    PersonalDataSummary,
    candidate_erase_by_telegram_id,
    personal_data_summary,
)
from notifications.conversation import privacy_texts as ptexts
from notifications.conversation import texts

HANDLER_GROUP = -1
COMMAND = "delete_my_data"


class PrivacyAction(StrEnum):
    ASK = "ask"  # «Удалить мои данные»: show the confirmation
    YES = "yes"  # «Да, удалить»
    NO = "no"  # «Нет, оставить»


def callback_data(action: PrivacyAction) -> str:
    """callback_data of a privacy button: «pd:<action>»."""
    return f"{ptexts.CALLBACK_PREFIX}:{action.value}"


def _action(data: str | None) -> PrivacyAction | None:
    prefix, _, arg = (data or "").partition(":")
    if prefix != ptexts.CALLBACK_PREFIX:
        return None
    try:
        return PrivacyAction(arg)
    except ValueError:
        return None


def delete_my_data_markup() -> dict[str, Any]:
    """A single «Удалить мои данные» button (e.g. under /help)."""
    return {
        "inline_keyboard": [[{"text": ptexts.BTN_DELETE_MY_DATA, "callback_data": callback_data(PrivacyAction.ASK)}]]
    }


def _confirm_markup() -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": ptexts.BTN_ERASE_YES, "callback_data": callback_data(PrivacyAction.YES)},
                {"text": ptexts.BTN_ERASE_NO, "callback_data": callback_data(PrivacyAction.NO)},
            ]
        ]
    }


def _question(summary: PersonalDataSummary) -> Reply:
    if not summary.has_data:
        return Reply(ptexts.NOTHING_TO_ERASE)
    lines = [ptexts.ASK, *(ptexts.ASK_BOOKING.format(when=when, zone=zone) for when, zone in summary.bookings)]
    return Reply("\n\n".join(lines), _confirm_markup())


def _done(report: ErasureReport | None) -> Reply:
    if report is None:
        return Reply(ptexts.NOTHING_TO_ERASE)
    if report.bookings_canceled:
        return Reply(f"{ptexts.ERASED}\n{ptexts.ERASED_BOOKINGS}")
    return Reply(ptexts.ERASED)


async def on_delete_my_data(update: Update, context: Context) -> None:
    """/delete_my_data: ask for confirmation (and say which booking would be canceled)."""
    user = update.effective_user
    if user is not None:
        summary = await run_sync(personal_data_summary, telegram_id=user.id)
        await render(update, context, Outcome(send=(_question(summary),)))
    raise ApplicationHandlerStop


async def on_privacy_button(update: Update, context: Context) -> None:
    """«Удалить мои данные», «Да, удалить», «Нет, оставить»."""
    user = update.effective_user
    action = _action(update.callback_query.data if update.callback_query else None)
    if user is None or action is None:
        await malformed(update, context)
        raise ApplicationHandlerStop
    try:
        if action is PrivacyAction.ASK:
            summary = await run_sync(personal_data_summary, telegram_id=user.id)
            result = Outcome(send=(_question(summary),))
        elif action is PrivacyAction.YES:
            report = await run_sync(candidate_erase_by_telegram_id, telegram_id=user.id)
            result = Outcome(edit=_done(report), answer=ptexts.ERASED_ANSWER, result="erased")
        else:
            result = Outcome(edit=Reply(ptexts.KEPT), answer=ptexts.KEPT_ANSWER, result="kept")
    except Exception:
        await answer_quietly(update, texts.TRY_AGAIN_LATER)
        raise
    await render(update, context, result)
    raise ApplicationHandlerStop


def register(application: Application) -> None:
    """Add the privacy handlers to the bot (call from build_application)."""
    application.add_handler(
        CommandHandler(COMMAND, on_delete_my_data, filters=filters.ChatType.PRIVATE), group=HANDLER_GROUP
    )
    application.add_handler(
        CallbackQueryHandler(on_privacy_button, pattern=f"^{ptexts.CALLBACK_PREFIX}:"), group=HANDLER_GROUP
    )
