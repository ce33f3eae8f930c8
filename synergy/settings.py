"""Settings read from the environment (django-environ).

Every value that differs between a laptop and production comes from an env var; a bad value
stops start-up with a message naming the variable. Unset DATABASE_URL means an SQLite file in
the project folder; unset CELERY_BROKER_URL means Celery tasks run eagerly in-process.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: django-environ would quietly read 'ture' as False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        if not DEBUG and len(key) < 50:
            raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    # Development only: generate once, keep out of git (.gitignore lists the file).
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "synergy.core.admin_site.AdminConfig",  # django.contrib.admin with the project site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "synergy.core",
    "villages",
    "villages.exchange",
    "community",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "synergy.core.middleware.RefuseNulMiddleware",  # a NUL byte anywhere: 400, never a 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "synergy.core.middleware.SecurityHeadersMiddleware",
    "synergy.core.middleware.ViewerTagMiddleware",  # whose page it is, for the service worker
    "synergy.core.middleware.RefusalPageMiddleware",  # a page's NotAllowed: the 403 page, its sentence
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "synergy.urls"
WSGI_APPLICATION = "synergy.wsgi.application"
ASGI_APPLICATION = "synergy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "synergy.core.context_processors.navigation",
            ],
            # `|money` in every template (¥1,234.50, ¥12.3万): synergy/core/templatetags.
            "builtins": ["synergy.core.templatetags.synergy_format"],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL=postgres://... for the real thing.
try:
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3", "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured(
        "DATABASE_URL must be a postgres:// or sqlite:// URL, "
        f"got engine {DATABASES['default']['ENGINE']!r}."
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one per request). A connection the server dropped (a
# restart, a fail-over, an idle timeout) is found by a health check at the start of the next
# request and replaced, instead of failing that request with a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when the dev server and a task write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# Cache: Redis when CACHE_URL=redis://host:6379/<db> is set (shared by every worker and node),
# local memory otherwise. The page cache (synergy.core.pagecache: versioned keys bumped on every
# write that changes a page) needs versions every process sees, so it is on with CACHE_URL and
# off by default without it; PAGE_CACHE=true turns it on for one process (runserver, tests).
# After restoring a database, change CACHE_KEY_PREFIX (or flush the cache): versions are not in it.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL,
                          "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="synergy")}}
    # Sessions read from Redis, written through to the database: no session query per request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "synergy"}}
PAGE_CACHE = env_bool("PAGE_CACHE", bool(CACHE_URL))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:desk"
LOGOUT_REDIRECT_URL = "home"

# Login rate limiting (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "synergy.core.auth_backends.RateLimitedLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "synergy.core.auth_backends.axes_username"  # cut to its 255-char column
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The address a login is charged to: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXY_COUNT proxies
# (nginx appending to X-Forwarded-For) the entry that many places from the right; the entries a
# client writes itself are never trusted (synergy/core/client_ip.py).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1, minimum=1)
AXES_CLIENT_IP_CALLABLE = "synergy.core.client_ip.client_ip"

# Upload limits, in one place: a request body beyond DJANGO_DATA_UPLOAD_MAX_BYTES is refused before
# any view runs (deploy/nginx.conf's client_max_body_size sits a little above it); uploads larger
# than 2 MiB are spooled to disk rather than held in memory; each upload field also checks type
# and size itself (synergy.core.upload_fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule on the password: Django tells every validator when a password has been changed
    # (by the form, a reset link, the admin or `changepassword`); this one revokes the API tokens.
    {"NAME": "synergy.core.auth_backends.RevokeApiTokensOnPasswordChange"},
]

# Languages: Chinese first, English second. Content written by users stays as written.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
# One date format everywhere, per language: 2026年12月2日 / 2 Dec 2026, times on a 24-hour clock.
FORMAT_MODULE_PATH = ["synergy.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Django itself serves MEDIA_URL (the demo, development); in production the proxy does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
# Private uploads (notice and investment attachments, ticket photos, analysis outputs) live
# outside MEDIA_ROOT, so the proxy's public /media/ can never serve them. Only a permission-checked
# view hands them out (synergy.core.private_files), through django-sendfile2: with
# DJANGO_SENDFILE_BACKEND=nginx the view answers with X-Accel-Redirect to the proxy's `internal`
# location SENDFILE_URL, which aliases this folder (deploy/nginx.conf).
PRIVATE_MEDIA_ROOT = Path(env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()) or MEDIA_ROOT.resolve(
).is_relative_to(PRIVATE_MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("DJANGO_PRIVATE_MEDIA_ROOT must be outside DJANGO_MEDIA_ROOT "
                               "(and the other way round), or the public /media/ would serve it.")
_SENDFILE_BACKENDS = {
    "development": "django_sendfile.backends.development",  # Django streams the file itself
    "simple": "django_sendfile.backends.simple",            # the same, with ETag/Last-Modified
    "nginx": "django_sendfile.backends.nginx",              # X-Accel-Redirect; nginx sends it
}
_sendfile = env.str("DJANGO_SENDFILE_BACKEND", default="development")
if _sendfile not in _SENDFILE_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_SENDFILE_BACKEND must be one of "
                               f"{', '.join(_SENDFILE_BACKENDS)}, got {_sendfile!r}.")
SENDFILE_BACKEND = _SENDFILE_BACKENDS[_sendfile]
SENDFILE_ROOT = str(PRIVATE_MEDIA_ROOT)
SENDFILE_URL = "/protected"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: console in development; SMTP via EMAIL_URL (smtp://user:pass@host:587) in production.
try:
    vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
except Exception as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from None
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Synergy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: no broker configured means tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be a redis:// URL, got {CELERY_BROKER_URL!r}."
    )
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# --- Money and places (issue 11.4): booking holds and donation repeats -----------------------
# An unconfirmed booking holds its places this long; `celery beat` (or the management command
# `bookings_release_expired` from cron) releases expired holds every few minutes.
BOOKING_HOLD_HOURS = env.int("BOOKING_HOLD_HOURS", default=48)
# How many unconfirmed booking requests one person may hold at once.
BOOKING_MAX_UNCONFIRMED = env.int("BOOKING_MAX_UNCONFIRMED", default=3)
# A second gift of the same amount to the same campaign within this many minutes asks to confirm.
DONATION_REPEAT_WINDOW_MINUTES = env.int("DONATION_REPEAT_WINDOW_MINUTES", default=10)
if BOOKING_HOLD_HOURS < 1 or BOOKING_MAX_UNCONFIRMED < 1 or DONATION_REPEAT_WINDOW_MINUTES < 0:
    raise ImproperlyConfigured("BOOKING_HOLD_HOURS and BOOKING_MAX_UNCONFIRMED must be at least 1, "
                               "DONATION_REPEAT_WINDOW_MINUTES at least 0.")
CELERY_BEAT_SCHEDULE = vars().get("CELERY_BEAT_SCHEDULE", {})
CELERY_BEAT_SCHEDULE["villages-release-expired-booking-holds"] = {
    "task": "villages.tasks.bookings_release_expired_task",
    "schedule": 300.0,  # seconds
}
# Group-buy rounds past their cut-off close (form or fail) within a minute.
CELERY_BEAT_SCHEDULE["villages-close-due-rounds"] = {
    "task": "villages.tasks.rounds_close_due_task",
    "schedule": 60.0,  # seconds
}
# --- end of money and places ------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "synergy.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "synergy.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Selectors filter (synergy.core.filters); the backend only documents their FilterSet.
    "DEFAULT_FILTER_BACKENDS": ["synergy.core.api.filters.SelectorFilters"],
    # JSON bounded (depth, finite numbers, no NUL): a malformed body is a 400, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "synergy.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "synergy.core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): `Authorization: Token <token>`, stored hashed, one per login;
# each expires after API_TOKEN_TTL_DAYS and is revoked by POST /api/v1/auth/logout/ (that token),
# /api/v1/auth/logout-all/ (all of the user's), a password change, or an administrator.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
API_JSON_MAX_DEPTH = 32  # nesting levels a JSON body may have (synergy.core.api.parsers)
SPECTACULAR_SETTINGS = {
    "TITLE": "Synergy API",
    "DESCRIPTION": "Urban-rural synergy platform: communities, villages, exchanges, analytics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("status", "kind") get distinct schema names.
    "ENUM_NAME_OVERRIDES": {
        "ExchangeOpenStatusEnum": "villages.exchange.models.OpenStatus",
        "SignupStatusEnum": "villages.exchange.models.SignupStatus",
        "InterestStatusEnum": "villages.exchange.models.InterestStatus",
        "ApplicationStatusEnum": "villages.exchange.models.ApplicationStatus",
        "JobKindEnum": "villages.exchange.models.JobKind",
        "EventKindEnum": "villages.exchange.models.EventKind",
        "NeedCategoryEnum": "villages.exchange.models.NeedCategory",
        "ProductCategoryEnum": "villages.models.ProductCategory",
        "PaymentMethodEnum": "villages.models.PaymentMethod",
        "OfferKindEnum": "villages.models.OfferKind",
        "TicketStatusEnum": "community.models.TicketStatus",
        "TicketCategoryEnum": "community.models.TicketCategory",
        "ServiceKindEnum": "community.models.ServiceKind",
        "ListingKindEnum": "community.models.ListingKind",
        "AnalysisKindEnum": "analytics.models.AnalysisRun.Kind",
        "MembershipStatusEnum": "synergy.core.models.MembershipStatus",
        "RoleEnum": "synergy.core.models.Role",
    },
}
# Every choice set shared by name across apps ("status", "kind", "category") is named above, or
# drf-spectacular warns about enum name collisions (and `check --deploy --fail-level WARNING` fails).

# Security: on by default whenever DEBUG is off; each can be switched by its env var
# (e.g. behind a TLS-terminating proxy that already redirects).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# ---------------------------------------------------------------- analytics (issue 11.6, 11.10)
# Dataset imports (CSV/XLSX, web, API and `manage.py analytics`): refused beyond these bounds;
# an XLSX's unpacked size is read from its zip directory before any parser opens it.
ANALYTICS_IMPORT_MAX_BYTES = env_int("ANALYTICS_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
ANALYTICS_IMPORT_MAX_ROWS = env_int("ANALYTICS_IMPORT_MAX_ROWS", 100_000, minimum=1)
ANALYTICS_IMPORT_MAX_COLUMNS = env_int("ANALYTICS_IMPORT_MAX_COLUMNS", 300, minimum=2)
ANALYTICS_IMPORT_MAX_CELL_CHARS = env_int("ANALYTICS_IMPORT_MAX_CELL_CHARS", 200, minimum=10)
ANALYTICS_IMPORT_MAX_XLSX_UNPACKED_BYTES = env_int(
    "ANALYTICS_IMPORT_MAX_XLSX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1024)
ANALYTICS_IMPORT_MAX_ISSUES = env_int("ANALYTICS_IMPORT_MAX_ISSUES", 100, minimum=1)
# The file is parsed in a child process killed after this many seconds (0: in the request).
ANALYTICS_IMPORT_TIME_LIMIT_SECONDS = env_int("ANALYTICS_IMPORT_TIME_LIMIT_SECONDS", 60)
# Runs: the task beats at each progress step; the reaper fails a run whose heartbeat is older
# than ANALYTICS_RUN_STALE_SECONDS, or that waited pending for ANALYTICS_RUN_PENDING_SECONDS.
ANALYTICS_RUN_STALE_SECONDS = env_int("ANALYTICS_RUN_STALE_SECONDS", 300, minimum=1)
ANALYTICS_RUN_PENDING_SECONDS = env_int("ANALYTICS_RUN_PENDING_SECONDS", 6 * 3600, minimum=1)
ANALYTICS_RUN_TIME_LIMIT_SECONDS = env_int("ANALYTICS_RUN_TIME_LIMIT_SECONDS", 3 * 3600,
                                           minimum=10)
# Test hook only: seconds a run sleeps at each progress step (the worker test kills a worker
# mid-run). Zero in every real deployment.
ANALYTICS_RUN_STEP_SLEEP_SECONDS = env_int("ANALYTICS_RUN_STEP_SLEEP_SECONDS", 0)
# Embedded demo (eager Celery, no broker): run each analysis in a daemon thread of the web
# process, so the submit returns at once and the page polls. Ignored when a broker is set.
ANALYTICS_RUN_IN_THREAD = env_bool("ANALYTICS_RUN_IN_THREAD", False)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "analytics-runs-reap": {"task": "analytics.runs_reap", "schedule": 60.0},
}
