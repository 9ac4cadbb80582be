"""The bot's fixtures (the real application against the fake Bot API, Moscow with Anna) for the vacancy tests."""

from botapp.tests.conftest import bot, world  # noqa: F401  (fixtures, found by pytest by name)
