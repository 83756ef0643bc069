"""Settings for the EMR Rollout Portal, read from the environment.

One module for every environment: what differs between `make run`, CI and
production comes from environment variables, all documented in the README.
"""

import datetime
import sys
from pathlib import Path

import django.forms
import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional, never committed

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug"
    elif Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]:
        # A management command (migrate, makemigrations, export_report...) signs nothing that outlives it:
        # a throwaway key lets it run on a machine without the secret. Serving requests needs the real one.
        SECRET_KEY = get_random_secret_key()
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for the admin's and our own Django-template widgets (FORM_RENDERER)
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "facilities",
    "assessments",
    "reports",
    "milestones",
    "escalations",
    "compliance",
    "dashboard",
    "exports",
    "demo",
    "bench",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.replica.PrimaryPinMiddleware",
    "core.middleware.LanguageMiddleware",
    # Before the session is read (and saved) and before CsrfViewMiddleware reads the posted fields;
    # the upload's limits are set before anything reads the body.
    "core.middleware.UploadLimitMiddleware",
    "core.middleware.ControlCharacterMiddleware",
    "core.middleware.NfcMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rollout_portal.urls"
WSGI_APPLICATION = "rollout_portal.wsgi.application"

# Form widgets render with Django's own Jinja2 widget templates, found first; every other template (pages, crispy's
# layouts, the admin's widgets, ours) with Django's templates. Compiled Jinja2 draws a widget several times faster:
# the monthly report form's 27 widgets 10 ms -> 2 ms a page.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "widgets",
        "DIRS": [Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
    },
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
                "core.context_processors.portal",
            ],
        },
    },
]

# Cache: the dashboard's memoised blocks (dashboard.memo), computed once for every process that serves the
# same numbers. Django's Redis cache in production and CI (CACHE_URL=redis://host:6379/2, a database of its
# own: tests empty it); local memory, one cache per process, only suits `make run`'s single process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Database: SQLite is only the zero-set-up default of `make run`; CI and production use PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query (JIT) once its estimated cost is high; the dashboard's and the compliance
    # engine's aggregates over a country's facilities cross that bar and spent more time compiling (up to
    # 0.6 s) than running. Short queries are what this portal runs: no JIT.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A read replica (optional): the dashboard, the lists and the exports' data read it; writes and what a
# request reads after its own writes stay on the primary (core.replica has the rule). Same options as the
# primary; a streaming replica of it, never migrated.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# Seconds a browser reads the primary after it wrote (core.replica, rule 3): well above a healthy replica's lag.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL, where the portal runs; SQLite builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset by e-mail (accounts.resets): links work once, for an hour; requests are limited per hour
# from one network address and for one e-mail address.
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=5)
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes idle (an active session and its cookie are renewed once a minute) and
# 12 hours after login at most (accounts.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_MAX_LIFETIME = datetime.timedelta(hours=12)

# django-axes: lock a username from one address, never a whole facility behind one public IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=1 if env.bool("BEHIND_PROXY", default=False) else 0)

# Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# django-filter's empty choice of a filter select: "All" rather than "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
USE_TZ = True
FORMAT_MODULE_PATH = ["rollout_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed files after `collectstatic`; debug and tests serve the sources.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Uploaded evidence lives outside the web root and is served only by an authorised view.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Any other upload (the registry and report imports): refused from its Content-Length, or while it streams.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def env_date(name: str, default: datetime.date) -> datetime.date:
    value = env(name, default="")
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from None


# Province settings (SPEC section 2).
PROVINCE_NAME = env("PROVINCE_NAME", default="Đồng Tháp")
ISSUING_BODY = env("ISSUING_BODY", default="UBND TỈNH ĐỒNG THÁP")
ISSUING_UNIT = env("ISSUING_UNIT", default="SỞ Y TẾ")
# The official report to the People's Committee (Nghị định 30/2020/NĐ-CP form).
REPORT_SYMBOL = env("REPORT_SYMBOL", default="BC-SYT")
# The provincial dispatch the report answers, as the legal basis cites it ("Công văn số …/UBND-VX ngày …").
PROVINCIAL_DISPATCH = env(
    "PROVINCIAL_DISPATCH",
    default="văn bản chỉ đạo của Ủy ban nhân dân tỉnh về hoàn thành triển khai hồ sơ bệnh án điện tử "
    "trước ngày 30/09/2026 và thay thế bệnh án giấy từ ngày 01/10/2026",
)
REPORT_SIGNER_NAME = env("REPORT_SIGNER_NAME", default="")
EMR_DEADLINE = env_date("EMR_DEADLINE", default=datetime.date(2026, 9, 30))
PAPERLESS_FROM = env_date("PAPERLESS_FROM", default=datetime.date(2026, 10, 1))
PROGRAMME_START = env_date("PROGRAMME_START", default=datetime.date(2025, 1, 1))
REPORT_DUE_DAY = env.int("REPORT_DUE_DAY", default=5)
if not 1 <= REPORT_DUE_DAY <= 28:
    raise ImproperlyConfigured("REPORT_DUE_DAY must be between 1 and 28.")

# Celery: with no broker configured, tasks run in-process (the `make run` default only).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A down or hung broker must cost a request seconds, not minutes: Celery's defaults block
# for over 90 s on a Redis that accepts the connection and never answers. Publishing after an
# approval gives up after about 2 s (one socket timeout) and the nightly run catches up.
# The socket timeout stays above the worker's 1 s BRPOP poll, so workers run with it too.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Excel exports: above this many rows an export is built in the background; its file is deleted after the delay.
EXPORT_BACKGROUND_THRESHOLD = env.int("EXPORT_BACKGROUND_THRESHOLD", default=2000)
EXPORT_EXPIRY_HOURS = env.int("EXPORT_EXPIRY_HOURS", default=24)
if EXPORT_BACKGROUND_THRESHOLD < 0 or EXPORT_EXPIRY_HOURS < 1:
    raise ImproperlyConfigured("EXPORT_BACKGROUND_THRESHOLD must be 0 or more and EXPORT_EXPIRY_HOURS 1 or more.")

# E-mail (reminders and digests).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Sở Y tế <no-reply@soyte.local>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Security hardening for production (`manage.py check --deploy`).
# A header a client can send is trusted only when a proxy in front sets it. With BEHIND_PROXY on, the proxy
# must overwrite X-Forwarded-Proto (nginx: `proxy_set_header X-Forwarded-Proto $scheme;`) and pass the
# Host it answered for (`proxy_set_header Host $host;`). X-Forwarded-Host is never read: the host is
# the Host header, checked against ALLOWED_HOSTS, and e-mailed links start with SITE_URL.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
# Secure by default outside debug; tests and a plain-HTTP intranet switch them off explicitly.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Sent on every response by core.middleware.SecurityHeadersMiddleware: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
