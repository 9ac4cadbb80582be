"""The consent buttons «Согласен» / «Не согласен»."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, decoded, malformed, press


async def on_consent(update: Update, context: Context) -> None:
    """«Согласен» / «Не согласен» of one version of the consent text."""
    callback = decoded(update)
    parts = callback.split_arg() if callback else None
    if parts is None or parts[1] not in ("y", "n"):
        await malformed(update, context)
        return
    version, choice = parts
    await press(update, context, flows.consent_pressed, version=version, agree=choice == "y")
