"""Proximités settings: one module, driven by environment variables.

Development defaults are safe and need nothing: ``DATABASE_URL`` unset means a
SQLite file beside ``manage.py``; ``DJANGO_DEBUG`` defaults to on. Production
turns on every security setting by setting ``DJANGO_DEBUG=0`` (see
``.env.example``); nothing exists only in production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# The public address, for links made outside a request (e-mails, commands). Pages, the API and the
# exports link to the address each request came to (``request.build_absolute_uri``).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "" if DEBUG else SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "reversion",
    "import_export",
    # Security (docs/operations.md, "Sécurité"): login lockout, second factor for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "crpv_site",
    "territories",
    "initiatives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view's database error (outage, web statement timeout) -> 503 + Retry-After (crpv_site.errors).
    "crpv_site.errors.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "crpv_site.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): passed the second factor
    "crpv_site.second_factor.StaffSecondFactorMiddleware",  # OTP_REQUIRED: /admin/ only once verified
    "django.contrib.messages.middleware.MessageMiddleware",
    "initiatives.curation.middleware.AdminWriteBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy and Permissions-Policy (settings below): before the page cache, so that
    # a cached page gets them too.
    "csp.middleware.CSPMiddleware",
    "crpv_site.security_headers.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # the lockout page (answers what the login view answered otherwise)
    # Last: a cached page still gets every header the middlewares above add on its way out.
    "initiatives.browse.page_cache.PageCacheMiddleware",
]
# Anonymous visitors' public pages, cached per version of what they show (initiatives.browse.page_cache).
PAGE_CACHE = env_bool("PAGE_CACHE", True)

ROOT_URLCONF = "crpv_site.urls"
WSGI_APPLICATION = "crpv_site.wsgi.application"

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

# DATABASE_URL unset -> SQLite file in the project (the embedded default);
# set (postgres://...) -> PostgreSQL, with persistent connections.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The typo fallback of the search (initiatives/search.py) uses pg_trgm's "%>" operator:
    # 0.5 instead of the default 0.6 lets "ordinatuers" find "ordinateurs" (0.58).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c pg_trgm.word_similarity_threshold=0.5"

# --- Database timeouts and outages (crpv_site/database.py, crpv_site/errors.py; docs/operations.md) ---
# connect_timeout: every process (web, commands, migrations) gives up connecting after this many seconds.
DATABASE_CONNECT_TIMEOUT = int(env("DATABASE_CONNECT_TIMEOUT", "5"))
# statement_timeout: web requests only (set on each connection of a process started through wsgi.py or
# asgi.py); migrations, loaders, imports and other commands run without it. 0 turns it off.
DATABASE_STATEMENT_TIMEOUT_MS = int(env("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
# The Retry-After (seconds) of the 503 answered while the database is out.
RETRY_AFTER = int(env("RETRY_AFTER", "30"))
# French 403 when a form's CSRF token is missing or stale (Django's own page is in English).
CSRF_FAILURE_VIEW = "crpv_site.errors.csrf_failure"
# --- end of database timeouts and outages ---

# The cache holds what several server processes must share (the proposal form's
# rate limit per IP): a database table by default (created by
# ``manage.py createcachetable``, which ``make`` runs and the test runner runs),
# Redis when REDIS_URL is set. Never the per-process local-memory cache.
REDIS_URL = env("REDIS_URL", "")
# The page cache ("pages", initiatives.browse.page_cache) is Redis too when set; otherwise each process
# keeps its own, in memory: its keys carry the version of what the pages show, read from the database
# on every request, so a process's copy can never serve a page older than the last committed write
# (a database table would not do: Django's culls it at 300 entries and counts its rows on every write).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "proximites_cache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "proximites-pages",
            # Per process: 500 pages of 50–150 kB, about 50 MB.
            "OPTIONS": {"MAX_ENTRIES": int(env("PAGE_CACHE_ENTRIES", "500"))},
        },
    }

# Public proposals (/proposer/): at most this many per client IP and per hour.
PROPOSALS_PER_HOUR = int(env("PROPOSALS_PER_HOUR", "5"))
# E-mail alerts (/alertes/abonner/): subscription requests per client IP and per hour (the same counter
# as the proposals', its own count), and how long an unconfirmed request waits for its confirmation
# before `manage.py send_alerts` deletes it with its address (initiatives.alerts).
ALERT_SUBSCRIPTIONS_PER_HOUR = int(env("ALERT_SUBSCRIPTIONS_PER_HOUR", "5"))
ALERT_CONFIRMATION_HOURS = int(env("ALERT_CONFIRMATION_HOURS", "48"))
if ALERT_CONFIRMATION_HOURS < 1:
    raise ImproperlyConfigured("ALERT_CONFIRMATION_HOURS doit être un nombre d'heures d'au moins 1.")

# --- Security: the client's address (crpv_site.client_ip), login lockout (axes), second factor (otp).
# How many reverse proxies append to X-Forwarded-For in front of the site: the client is the address
# that many entries from the right (0: REMOTE_ADDR, the header ignored). Default 0 in development;
# 1 in production behind a proxy (DJANGO_BEHIND_PROXY, default on): one TLS-terminating router.
_PROXIED = not DEBUG and env_bool("DJANGO_BEHIND_PROXY", True)
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1" if _PROXIED else "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT doit être un nombre de proxys, 0 ou plus.")

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is refused for AXES_COOLOFF_MINUTES (each new try during the lockout restarts it);
# every failure is logged in one line ("AXES: … login failure by …"). Unlock: manage.py axes_reset_username
# <email>, axes_reset_ip <address>, axes_reset (docs/operations.md).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "crpv_site.client_ip.login_username"
AXES_CLIENT_IP_CALLABLE = "crpv_site.client_ip.axes_client_address"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no "AXES: BEGIN" banner on every process start (each failure is still logged)

# Second factor (django-otp, TOTP) for staff: administrators and curators reach /admin/ only after a
# code from their authenticator app (crpv_site.second_factor). On by default in production, off in
# development so that `make run`'s demo accounts log in with their password alone.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Proximités"
# --- end security
# A proposal's contact e-mail is erased once the proposal is older than this many days, whatever
# its status (`manage.py purge_proposal_contacts`, run daily); /donnees-personnelles/ shows the value.
PROPOSAL_CONTACT_RETENTION_DAYS = int(env("PROPOSAL_CONTACT_RETENTION_DAYS", "365"))
if PROPOSAL_CONTACT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("PROPOSAL_CONTACT_RETENTION_DAYS doit être un nombre de jours d'au moins 1.")

# Who publishes and hosts the site, and where to write: shown on /mentions-legales/,
# /donnees-personnelles/ and /accessibilite/, « à compléter » while unset. Free text
# (a name, a legal form, an address); the contacts are e-mail addresses.
SITE_PUBLISHER = env("SITE_PUBLISHER", "")
SITE_PUBLICATION_DIRECTOR = env("SITE_PUBLICATION_DIRECTOR", "")
SITE_HOST = env("SITE_HOST", "")
SITE_CONTACT_EMAIL = env("SITE_CONTACT_EMAIL", "")
# Requests about personal data (access, deletion); the general contact when unset.
SITE_PRIVACY_EMAIL = env("SITE_PRIVACY_EMAIL", "") or SITE_CONTACT_EMAIL
# Whole request bodies above this size are refused with a 400 (Django's own check);
# the form's fields have their own, smaller limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))

# A password-setting link printed by ``create_curator`` (or sent by the
# "mot de passe oublié" form) works once and for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Bulk import/export in the admin (django-import-export; formats set on the admin class).
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "crpv_site.User"
LOGIN_URL = "admin:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, hashed files in production; plain storage in DEBUG and tests so
    # that no collectstatic run is needed to serve a page.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: all on when DEBUG is off (manage.py check --deploy is clean then).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", True) else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The health probe (crpv_site/health.py) answers over plain HTTP: a load balancer inside the network
# may probe without TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Cookies sent over HTTPS only; DJANGO_SECURE_COOKIES=0 lets `make serve` log in over plain HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Content-Security-Policy (django-csp 4) and Permissions-Policy --------------------------------
# Everything from our own origin, nothing inline: no `'unsafe-inline'` for scripts or styles (no
# script element without src, no style element or attribute: tests/crpv_site/test_security_headers.py scans
# the templates and tests/e2e/test_csp.py loads the pages in Chromium). The admin runs on its own
# static JS and CSS, served from 'self' too. To allow another source, add it to its directive here
# (docs/operations.md, "Content-Security-Policy").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page uses, refused to every page and frame (crpv_site/security_headers.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# --------------------------------------------------------------------------------------------------

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Proximités <ne-pas-repondre@proximites.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (4xx) is logged in one line, without the traceback (crpv_site/log_filters.py): on
    # django.request, where Django logs them, and on the handler for the django.security.* loggers.
    "filters": {"one_line_client_errors": {"()": "crpv_site.log_filters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}},
    "loggers": {"django.request": {"filters": ["one_line_client_errors"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Where the report texts live (../shared/seeds beside the clone); used by verify_citations.
SEEDS_DIR = Path(env("PROXIMITES_SEEDS_DIR", str(BASE_DIR.parent / "shared" / "seeds")))
