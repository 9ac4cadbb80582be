"""Settings, read from the environment only (see .env.example for every variable)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    # The SQLite demo (no DATABASE_URL) runs on one machine for one person: a fixed dev key is fine
    # there, so `manage.py <command>` works on a fresh checkout. Anything with a real database needs a key.
    is_demo = not env_str("DATABASE_URL")
    if not (DEBUG or is_demo or env_str("DJANGO_ALLOW_INSECURE_KEY") == "1"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set (required with DATABASE_URL; DJANGO_DEBUG=1 for local work)"
        )
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in env_str("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env_str("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_q",
    "scheduling",
    "candidates",
    "notifications",
    "botapp",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # By dotted name, like the apps: admin pages show every time in the signed-in recruiter's zone.
    "scheduling.admin.viewer_zone.ViewerZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                _database_url,
                conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                # Persistent connections die with a database restart; check each before reuse
                # (one SELECT 1 per request, bot flow or task) instead of failing the first use.
                conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", default=True),
            )
        }
        if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            # Parameters bound by the server, and a statement run five times on a connection prepared:
            # PostgreSQL then skips parsing and planning, which cost more than running our short
            # statements (docs/architecture.md, "Performance, measured"). A PgBouncer in transaction
            # mode without max_prepared_statements needs DB_PREPARE_THRESHOLD= (empty: never prepare).
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=env_bool("DB_SERVER_SIDE_BINDING", default=True),
                prepare_threshold=env_int("DB_PREPARE_THRESHOLD", 5) if env_str("DB_PREPARE_THRESHOLD", "5") else None,
            )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # The bot, the worker and the admin share one file: wait for locks instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
# Russian only: the admin answers in Russian whatever language the browser asks for.
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]  # the favicon, served at /favicon.ico too

# Where the admin's «Открыть сайт» leads (the site root itself redirects to the admin).
SITE_URL = env_str("SITE_URL", "/admin/")

# Security: production values when DEBUG is off (manage.py check --deploy stays clean).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Telegram
TELEGRAM_BOT_TOKEN = env_str("TELEGRAM_BOT_TOKEN")
TELEGRAM_API_BASE_URL = env_str("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot")
# The bot's calls to the Bot API over HTTP/2 (one multiplexed connection) or HTTP/1.1; a self-hosted Bot API
# server speaks only 1.1. docs/architecture.md (Performance) says why 2; getUpdates and the worker stay on 1.1.
TELEGRAM_HTTP_VERSION = env_str("TELEGRAM_HTTP_VERSION", "2")
if TELEGRAM_HTTP_VERSION not in ("1.1", "2"):
    raise ImproperlyConfigured(f"TELEGRAM_HTTP_VERSION must be 1.1 or 2, not {TELEGRAM_HTTP_VERSION!r}")
TELEGRAM_WEBHOOK_URL = env_str("TELEGRAM_WEBHOOK_URL")
TELEGRAM_WEBHOOK_SECRET = env_str("TELEGRAM_WEBHOOK_SECRET")
# The bot's @username without «@», for the vacancies' start links t.me/<bot>?start=<code> built in the admin.
TELEGRAM_BOT_USERNAME = env_str("TELEGRAM_BOT_USERNAME").lstrip("@")

# Product rules
# An undecided request expires this many minutes before the slot starts (0 = at the start).
PENDING_EXPIRY_MINUTES_BEFORE_START = env_int("PENDING_EXPIRY_MINUTES_BEFORE_START", 0)
DEFAULT_SLOT_DURATION_MIN = env_int("DEFAULT_SLOT_DURATION_MIN", 60)
# A recruiter's one-time Telegram bind code works for this many minutes after the admin issues it.
BIND_CODE_TTL_MINUTES = env_int("BIND_CODE_TTL_MINUTES", 15)
# The recruiters' 08:00 digest in Telegram (each recruiter can also switch theirs off in the admin).
RECRUITER_DAILY_DIGEST = env_bool("RECRUITER_DAILY_DIGEST", default=True)
# Each process (bot, worker, admin) checks at most this often whether a bot text was overridden (notifications/copy).
TEXT_OVERRIDES_CHECK_SECONDS = env_int("TEXT_OVERRIDES_CHECK_SECONDS", 10)
# The privacy policy the consent text links to: the operator's own page. Local work and the SQLite demo
# (as with the secret key) link to the project's demo page, /privacy/ on `make run`'s default port.
PRIVACY_POLICY_URL = env_str("PRIVACY_POLICY_URL")
if not PRIVACY_POLICY_URL:
    if not DEBUG and env_str("DATABASE_URL"):
        raise ImproperlyConfigured(
            "PRIVACY_POLICY_URL is not set: the consent text must link to the operator's privacy policy "
            "(e.g. https://example.ru/privacy; DJANGO_DEBUG=1 links to the demo page /privacy/)"
        )
    PRIVACY_POLICY_URL = "http://127.0.0.1:8000/privacy/"
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 0)

# Delivery pace: Telegram allows about 30 messages/s overall and 1 message/s per chat.
TELEGRAM_GLOBAL_RATE = env_int("TELEGRAM_GLOBAL_RATE", 30)
TELEGRAM_PER_CHAT_INTERVAL_MS = env_int("TELEGRAM_PER_CHAT_INTERVAL_MS", 1000)
DELIVERY_MAX_ATTEMPTS = env_int("DELIVERY_MAX_ATTEMPTS", 6)

REDIS_URL = env_str("REDIS_URL")

# django-q2: the ORM broker by default, Redis when REDIS_URL is set.
# timeout < retry, so a task is never retried while its first run may still be going.
Q_CLUSTER = {
    "name": "interview-scheduler",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 1,  # delivery has its own retry policy in the NotificationLog row
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "poll": 0.2,
    "queue_limit": 50,
    "label": "Очередь задач",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["broker_class"] = "notifications.queue_broker.OrmBroker"
    # With the ORM broker django-q2 keeps each cluster's status in a cache; in the database every
    # process (the admin's /healthz, a second terminal's healthcheck) sees the workers that run.
    Q_CLUSTER["cache"] = "django_q_status"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "django_q_status": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_q_cluster_status",
    },
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # httpx logs request URLs, and Bot API URLs contain the token.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "django_q": {"level": env_str("DJANGO_Q_LOG_LEVEL", "WARNING")},
    },
}

# Version of the consent text (notifications/conversation/texts.py CONSENT): a new value asks every candidate again.
CONSENT_VERSION = env_str("CONSENT_VERSION", "1")

# Operations (issue 6): the sandbox page, structured logs, deploy checks.
# Root URL of the fake Bot API that `make run` starts without a token; unset in production (then /sandbox/ is 404).
SANDBOX_FAKE_API_URL = env_str("SANDBOX_FAKE_API_URL")
# Where a running `make run` tells a second terminal's healthcheck about its sandbox (written by runall).
SANDBOX_RUNTIME_FILE = env_str("SANDBOX_RUNTIME_FILE") or str(BASE_DIR / ".run" / "sandbox.json")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
# "plain" for people, "json" for a log collector; both carry reservation_id on lines about a booking.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not plain or json")
LOGGING["filters"] = {"reservation_id": {"()": "config.logging.ReservationIdFilter"}}
LOGGING["formatters"] = {
    "plain": {"()": "config.logging.PlainFormatter"},
    "json": {"()": "config.logging.JsonFormatter"},
}
LOGGING["handlers"]["console"].update(formatter=LOG_FORMAT, filters=["reservation_id"])
# A worker counts as alive when a django-q2 task finished within this many seconds (the sweep runs every minute).
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 180)
# The load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Lead's tools (issue 15): exports, recruiters' calendar feeds, a locked admin door.
INSTALLED_APPS += [
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# OTP after authentication (it marks request.user verified); axes last, as its docs require.
_auth_at = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE.insert(_auth_at + 1, "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# axes refuses a locked-out username+IP before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Export needs the view permission a recruiter already has on the list; the rows are the list's own.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# A password guesser is stopped per username and address: a colleague at the same office IP is not.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # axes reads a number as hours
AXES_RESET_ON_SUCCESS = True
# The Russian lockout page (templates/admin/login_locked.html) with the wait in proper plural forms.
AXES_LOCKOUT_CALLABLE = "scheduling.admin.login.lockout_response"
# The address is REMOTE_ADDR unless the operator says how many proxies append to X-Forwarded-For
# (docs/deploy.md): trusting the header without a proxy would let a guesser pick a new address per try.
ADMIN_LOGIN_PROXY_COUNT = env_int("ADMIN_LOGIN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "scheduling.admin.login.client_ip"
# Two-factor login: the authenticator app shows this name; superusers must use it when this is on.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Interview Scheduler")
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", default=False)
# Released interviews stay in the calendar feed as cancelled for this many days, then drop out.
CALENDAR_FEED_CANCELED_DAYS = env_int("CALENDAR_FEED_CANCELED_DAYS", 7)
CALENDAR_FEED_PAST_DAYS = env_int("CALENDAR_FEED_PAST_DAYS", 30)
# axes tells every process start and every login at INFO; its warnings (failures, lockouts) are what matters.
LOGGING["loggers"]["axes"] = {"level": env_str("AXES_LOG_LEVEL", "WARNING")}
