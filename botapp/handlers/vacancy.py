"""The buttons of the plain /start's vacancy choice: a city, then a vacancy."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, decoded, malformed, press


async def on_city(update: Update, context: Context) -> None:
    """A city button (its id), or «Другой город» ("-")."""
    callback = decoded(update)
    if callback is None or (callback.arg != "-" and callback.int_arg is None):
        await malformed(update, context)
        return
    await press(update, context, flows.vacancy_city_pressed, city_id=callback.int_arg)


async def on_vacancy(update: Update, context: Context) -> None:
    """A vacancy button: «<vacancy id>.<city id>»."""
    callback = decoded(update)
    parts = callback.split_arg() if callback else None
    if parts is None or not all(p.isdigit() and len(p) < 19 for p in parts):
        await malformed(update, context)
        return
    await press(update, context, flows.vacancy_pressed, vacancy_id=int(parts[0]), city_id=int(parts[1]))
