"""A start link as the candidate opens it, and its QR code for a poster.

The admin builds links without the bot running, so the bot's username is a setting
(TELEGRAM_BOT_USERNAME), not something only the running bot knows from getMe.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings


def bot_username() -> str:
    """The bot's @username without «@»; "" when the setting is missing."""
    return str(getattr(settings, "TELEGRAM_BOT_USERNAME", "") or "").lstrip("@")


def deep_link(code: str) -> str | None:
    """https://t.me/<bot>?start=<code>, or None while the bot's username is not set."""
    username = bot_username()
    return f"https://t.me/{username}?start={code}" if username else None


def qr_svg(data: str) -> bytes:
    """The QR code of `data` as a standalone SVG (vector, on white: prints sharp at any size; no Pillow needed)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=20, border=4)
    return image.to_string(encoding="unicode").encode()
