"""Every setting of Dragoman, driven by environment variables (12-factor).

Development defaults need nothing installed: SQLite in WAL mode and a local cache.
`DRAGOMAN_ENV=production` turns on everything `manage.py check --deploy` asks for and
refuses to start without a secret key. The README lists every variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DRAGOMAN_ENV = env.str("DRAGOMAN_ENV", default="development")
if DRAGOMAN_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DRAGOMAN_ENV must be 'development' or 'production'.")
PRODUCTION = DRAGOMAN_ENV == "production"
DEBUG = env.bool("DRAGOMAN_DEBUG", default=False)

DATA_DIR = Path(env.str("DRAGOMAN_DATA_DIR", default=str(BASE_DIR.parent / "var"))).resolve()

_secret_key = env.str("DRAGOMAN_SECRET_KEY", default="")
if not _secret_key and PRODUCTION:
    raise ImproperlyConfigured(
        "DRAGOMAN_SECRET_KEY must be set in production (50 or more random characters)."
    )
# A fixed development key is safe only because development never faces the internet.
SECRET_KEY = _secret_key or "dragoman-development-only-" + "x" * 40

ALLOWED_HOSTS = env.list("DRAGOMAN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DRAGOMAN_CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env.str("DRAGOMAN_SITE_NAME", default="Global conversations")
# Absolute address of the public site, used in feeds, sitemaps, share links and emails.
BASE_URL = env.str("DRAGOMAN_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_SITE_NAME = SITE_NAME

INSTALLED_APPS = [
    "dragoman.core",
    "dragoman.missions",
    "dragoman.blogs",
    "dragoman.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dragoman.core.middleware.PublicHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "dragoman.urls"
WSGI_APPLICATION = "dragoman.wsgi.application"
ASGI_APPLICATION = "dragoman.asgi.application"

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
                "dragoman.core.context_processors.site",
            ],
        },
    },
]

# Databases ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'dragoman.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while a writer commits; IMMEDIATE transactions take the
            # write lock up front, so concurrent writers wait (busy timeout) instead of
            # failing with "database is locked" halfway through.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA mmap_size=134217728;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DRAGOMAN_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: the page cache and rate limits live here --------------------------------------------
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{DATA_DIR / 'cache'}"),
}

# Tasks: slow follow-ups (notifications, later federation) never make an editor wait --------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "DRAGOMAN_TASKS_BACKEND", default="django_tasks_db.backend.DatabaseBackend"
        ),
    }
}

# Search --------------------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Languages of the interface; the reader picks one by URL prefix (/ar/, /fa/, ...).
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ru", _("Russian")),
]
# Languages an entry may be written in: wider than the interface, since an embassy writes
# for its local audience whatever languages the interface is translated into.
CONTENT_LANGUAGES = [
    *LANGUAGES,
    ("de", _("German")),
    ("pt", _("Portuguese")),
    ("zh-hans", _("Simplified Chinese")),
    ("sw", _("Swahili")),
    ("ur", _("Urdu")),
    ("he", _("Hebrew")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DRAGOMAN_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# Static files and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DRAGOMAN_STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DRAGOMAN_MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0
# Outside production, static files are served straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt", "csv"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Email -----------------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DRAGOMAN_FROM_EMAIL", default="dragoman@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security ----------------------------------------------------------------------------------------
# Public pages carry no cookie: only the admin ever creates a session or a CSRF cookie.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DRAGOMAN_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DRAGOMAN_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DRAGOMAN_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DRAGOMAN_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy (nginx, Caddy, a load balancer).
    if env.bool("DRAGOMAN_BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DRAGOMAN_SILENCE_SSL_REDIRECT_CHECK", default=False):
        # For loopback benchmarks only: TLS is terminated elsewhere or not at all.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

# Dragoman -----------------------------------------------------------------------------------------
# Entries per page on blog, tag, archive and profile pages.
DRAGOMAN_PAGE_SIZE = 10
DRAGOMAN_FEED_SIZE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DRAGOMAN_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "wagtail": {"level": "WARNING"}},
}
# Serve uploaded media from the app itself (single machine); set false behind a front server.
DRAGOMAN_SERVE_MEDIA = env.bool("DRAGOMAN_SERVE_MEDIA", default=True)
