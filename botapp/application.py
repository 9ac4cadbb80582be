"""build_application: the bot's handler table in one place."""

from __future__ import annotations

import asyncio
import warnings
import weakref
from collections.abc import Awaitable
from typing import Any

from django.conf import settings
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from botapp.handlers import (
    after,
    attendance,
    booking,
    consent,
    errors,
    intro_invite,
    messages,
    privacy,
    recruiter,
    recruiter_card,
    start,
    test1,
    vacancy,
)
from notifications.conversation.callbacks import Action

# The update types the handlers below consume: polling asks Telegram for these only.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_CONCURRENT_UPDATES = 64


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats are handled concurrently; one chat's updates strictly in arrival order."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's previous update, then process this one."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat.id] = lock
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _pattern(action: Action) -> str:
    return f"^{action.value}:"


def build_application(*, token: str, base_url: str, concurrent: bool = True) -> Application:
    """The bot: PTB Application pointed at base_url, with every handler registered."""
    builder = ApplicationBuilder().token(token).base_url(base_url).http_version(settings.TELEGRAM_HTTP_VERSION)
    if concurrent:
        builder = builder.concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES))
    with warnings.catch_warnings():
        # PTB warns that a Bot API at another address than Telegram's speaks only HTTP/1.1 (the self-hosted
        # server does); TELEGRAM_HTTP_VERSION is the operator's word on what theirs speaks (the fake: both).
        warnings.filterwarnings("ignore", message="You set the HTTP version", category=PTBUserWarning)
        app = builder.build()
    private = filters.ChatType.PRIVATE
    app.add_handlers(
        [
            CommandHandler("start", start.on_start, filters=private),
            CommandHandler("bind", start.on_bind),
            # Recruiters may bind a group chat, so their commands (and /help) are not private-only.
            CommandHandler("help", recruiter.on_help),
            CommandHandler("today", recruiter.on_today),
            CommandHandler("week", recruiter.on_week),
            CommandHandler("unbind", recruiter.on_unbind),
            CommandHandler("cancel", start.on_cancel, filters=private),
            CommandHandler("delete_my_data", privacy.on_delete_my_data, filters=private),
            CommandHandler("test2", after.on_test2, filters=private),
            MessageHandler(private & filters.UpdateType.MESSAGE & ~filters.COMMAND, messages.on_message),
            CallbackQueryHandler(consent.on_consent, pattern=_pattern(Action.CONSENT)),
            CallbackQueryHandler(test1.on_answer, pattern=_pattern(Action.ANSWER)),
            CallbackQueryHandler(booking.on_recruiters, pattern=_pattern(Action.RECRUITERS)),
            CallbackQueryHandler(booking.on_recruiter_chosen, pattern=_pattern(Action.RECRUITER)),
            CallbackQueryHandler(booking.on_slot_chosen, pattern=_pattern(Action.SLOT)),
            CallbackQueryHandler(booking.on_preferred_time, pattern=_pattern(Action.PREFERRED_TIME)),
            CallbackQueryHandler(booking.on_confirm, pattern=_pattern(Action.CONFIRM)),
            CallbackQueryHandler(booking.on_decline, pattern=_pattern(Action.DECLINE)),
            CallbackQueryHandler(booking.on_cancel_booking, pattern=_pattern(Action.CANCEL)),
            CallbackQueryHandler(booking.on_cancel_yes, pattern=_pattern(Action.CANCEL_YES)),
            CallbackQueryHandler(booking.on_cancel_no, pattern=_pattern(Action.CANCEL_NO)),
            CallbackQueryHandler(booking.on_other_time, pattern=_pattern(Action.OTHER_TIME)),
            CallbackQueryHandler(privacy.on_privacy, pattern=_pattern(Action.PRIVACY)),
            CallbackQueryHandler(attendance.on_attended, pattern=_pattern(Action.ATTENDED)),
            CallbackQueryHandler(attendance.on_no_show, pattern=_pattern(Action.NO_SHOW)),
            CallbackQueryHandler(recruiter_card.on_approve, pattern=_pattern(Action.CARD_APPROVE)),
            CallbackQueryHandler(recruiter_card.on_other_time, pattern=_pattern(Action.CARD_OTHER_TIME)),
            CallbackQueryHandler(recruiter_card.on_reject, pattern=_pattern(Action.CARD_REJECT)),
            CallbackQueryHandler(recruiter_card.on_reject_reason, pattern=_pattern(Action.CARD_REJECT_REASON)),
            CallbackQueryHandler(recruiter_card.on_back, pattern=_pattern(Action.CARD_BACK)),
            CallbackQueryHandler(vacancy.on_city, pattern=_pattern(Action.VACANCY_CITY)),
            CallbackQueryHandler(vacancy.on_vacancy, pattern=_pattern(Action.VACANCY)),
            CallbackQueryHandler(after.on_passed, pattern=_pattern(Action.RESULT_PASSED)),
            CallbackQueryHandler(after.on_failed, pattern=_pattern(Action.RESULT_FAILED)),
            CallbackQueryHandler(after.on_test2_start, pattern=_pattern(Action.TEST2_START)),
            CallbackQueryHandler(after.on_test2_answer, pattern=_pattern(Action.TEST2_ANSWER)),
            CallbackQueryHandler(after.on_intro_confirm, pattern=_pattern(Action.INTRO_CONFIRM)),
            CallbackQueryHandler(after.on_intro_decline, pattern=_pattern(Action.INTRO_DECLINE)),
            CallbackQueryHandler(intro_invite.on_invite, pattern=_pattern(Action.INTRO_INVITE)),
            CallbackQueryHandler(intro_invite.on_place, pattern=_pattern(Action.INTRO_PLACE)),
            CallbackQueryHandler(intro_invite.on_me, pattern=_pattern(Action.INTRO_ME)),
            CallbackQueryHandler(intro_invite.on_no_note, pattern=_pattern(Action.INTRO_NO_NOTE)),
            CallbackQueryHandler(intro_invite.on_send, pattern=_pattern(Action.INTRO_SEND)),
            CallbackQueryHandler(intro_invite.on_cancel, pattern=_pattern(Action.INTRO_CANCEL)),
            # The first matching handler wins: the catch-all for data we did not build must stay last.
            CallbackQueryHandler(errors.on_unknown_callback),
        ]
    )
    # Before the handlers above (group -1): a recruiter's typed answer to the intro-day questions, in any chat
    # type (a bound group too); it stops the update only when it was such an answer.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, intro_invite.on_text), group=-1)
    app.add_error_handler(errors.on_error)
    return app
