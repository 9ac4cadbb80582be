"""Erasure hooks for the layers above: they forget what they keep about a person; candidates imports none of them."""

from django.dispatch import Signal

# Sent inside the erasure's transaction with `telegram_id` (int): whoever keeps rows keyed by a
# Telegram user (the bot's dedupe logs) deletes them there, so they go or stay with the erasure.
telegram_user_forgotten = Signal()
