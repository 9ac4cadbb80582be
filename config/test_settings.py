"""Test overrides: PostgreSQL, fast hashing, django-q2 in sync mode."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_scheduler")
# Set in the environment, so the production-like processes the tests start inherit it too.
os.environ.setdefault("PRIVACY_POLICY_URL", "https://hr.example.ru/privacy/")

from config.settings import *  # noqa: F403
from config.settings import Q_CLUSTER

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
TELEGRAM_BOT_TOKEN = "123456:TEST-TOKEN"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TELEGRAM_API_BASE_URL = "http://127.0.0.1:9/bot"  # nothing listens: no test can reach real Telegram
# Close each connection when its unit of work ends: the bot's worker threads otherwise keep
# theirs open, and the test database could not be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# A `make run` someone has open in the project directory must not leak its sandbox into a no-token test.
SANDBOX_RUNTIME_FILE = "/nonexistent/sandbox.json"
# Every lookup sees the database's overrides: a test's rolled-back override must not linger in the next test.
TEXT_OVERRIDES_CHECK_SECONDS = 0
