"""The offline sandbox: a staff-only page that plays a candidate's Telegram chat against the fake Bot API."""
