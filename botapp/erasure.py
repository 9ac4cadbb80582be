"""What the bot keeps about a Telegram user goes when the person's data is erased (candidates.signals)."""

from __future__ import annotations

from typing import Any

from botapp.models import TelegramCallbackLog, TelegramMessageLog


def telegram_user_forget(*, telegram_id: int, **_: Any) -> None:
    """Delete the dedupe logs of this user's presses and messages (a private chat's id is the user's)."""
    TelegramCallbackLog.objects.filter(telegram_user_id=telegram_id).delete()
    TelegramMessageLog.objects.filter(chat_id=telegram_id).delete()
