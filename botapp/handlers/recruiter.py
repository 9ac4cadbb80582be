"""The recruiter's commands (/today, /week, /unbind) and /help, which differs for recruiter and candidate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ChatType

from botapp.db import run_sync
from botapp.flows import recruiter as recruiter_flows
from botapp.handlers.common import Context, render
from botapp.views import Outcome


def _command(flow: Callable[..., Outcome], doc: str) -> Callable[[Update, Context], Awaitable[None]]:
    """A handler that runs the flow for this chat: the bound recruiter's view, or the candidate's reply."""

    async def handler(update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        result = await run_sync(
            flow,
            chat_id=chat.id,
            telegram_id=user.id,
            username=user.username or "",
            private=chat.type == ChatType.PRIVATE,
        )
        await render(update, context, result)

    handler.__doc__ = doc
    return handler


on_today = _command(recruiter_flows.today, "/today: today's requests and interviews in the recruiter's zone.")
on_week = _command(recruiter_flows.week, "/week: the next seven days, day by day.")
on_unbind = _command(recruiter_flows.unbind, "/unbind: this chat stops being the recruiter's.")
on_help = _command(recruiter_flows.help_command, "/help: the recruiter's commands, or the candidate's help.")
