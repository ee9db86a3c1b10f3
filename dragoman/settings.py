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
# No third-party avatar service: the admin must not leak who is signed in, either.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

INSTALLED_APPS = [
    "dragoman.core",
    "dragoman.missions",
    "dragoman.blogs",
    "dragoman.channels",
    "dragoman.authoring",
    "dragoman.demo",
    "dragoman.publishing",
    "dragoman.conversations",
    "dragoman.search",
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
    # First: a page-cache hit skips everything below (see dragoman/publishing/middleware.py).
    "dragoman.publishing.middleware.PageCacheMiddleware",
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
    "dragoman.publishing.middleware.KnownSiteMiddleware",
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
# django-environ hands ?key_prefix= (and ?version=) of a redis:// address to Django's Redis
# backend in lower case, where Django never reads them: give them the names Django reads.
for _name in ("KEY_PREFIX", "VERSION"):
    if _name.lower() in CACHES["default"]:
        CACHES["default"][_name] = CACHES["default"].pop(_name.lower())

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
# The public search (dragoman/search) uses the database's own full-text engine (SQLite FTS5 or
# PostgreSQL) unless OPENSEARCH_URL names an OpenSearch server, e.g. http://127.0.0.1:9200.
OPENSEARCH_URL = env.str("OPENSEARCH_URL", default="")
OPENSEARCH_INDEX = env.str("DRAGOMAN_OPENSEARCH_INDEX", default="dragoman-entries")

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

# Page cache (dragoman/publishing): anonymous public pages rendered once, refreshed on change.
DRAGOMAN_PAGE_CACHE = env.bool("DRAGOMAN_PAGE_CACHE", default=True)
# Seconds a stored page lives at most; changes refresh it long before.
DRAGOMAN_PAGE_CACHE_TIMEOUT = env.int("DRAGOMAN_PAGE_CACHE_TIMEOUT", default=86400)
# Bytes of pages each server process also keeps in its own memory (the hottest ones).
DRAGOMAN_PAGE_CACHE_LOCAL_BYTES = env.int(
    "DRAGOMAN_PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024
)
DRAGOMAN_BROTLI_QUALITY = env.int("DRAGOMAN_BROTLI_QUALITY", default=9)
# Tag clouds and archive months are remembered until an entry changes (publishing/fragments.py).
DRAGOMAN_FRAGMENT_CACHE = env.bool("DRAGOMAN_FRAGMENT_CACHE", default=True)
# Seconds a server process may go without checking whether another one changed content.
DRAGOMAN_PAGE_CACHE_CHECK_INTERVAL = env.float("DRAGOMAN_PAGE_CACHE_CHECK_INTERVAL", default=0.1)
# A CDN in front (Wagtail's front-end cache: set DRAGOMAN_FRONTEND_CACHE_URL for an HTTP purge
# endpoint such as Varnish) is purged on change, so it may keep pages for a day; without
# purging, a CDN keeps a page one minute at most.
_frontend_cache_url = env.str("DRAGOMAN_FRONTEND_CACHE_URL", default="")
if _frontend_cache_url:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": _frontend_cache_url,
        }
    }
DRAGOMAN_CDN_MAX_AGE = env.int("DRAGOMAN_CDN_MAX_AGE", default=86400 if _frontend_cache_url else 60)

# Conversations (dragoman/conversations): the comment form's defences and retention ----------
# Seconds a reader must spend on the page before sending (robots are faster), and how long a
# form stays valid (a replayed form is refused).
DRAGOMAN_COMMENT_MIN_SECONDS = env.float("DRAGOMAN_COMMENT_MIN_SECONDS", default=3.0)
DRAGOMAN_COMMENT_MAX_AGE = env.int("DRAGOMAN_COMMENT_MAX_AGE", default=86400)
# Comments one client may send per period (seconds); counted in the cache under a keyed hash.
DRAGOMAN_COMMENT_RATE_COUNT = env.int("DRAGOMAN_COMMENT_RATE_COUNT", default=5)
DRAGOMAN_COMMENT_RATE_PERIOD = env.int("DRAGOMAN_COMMENT_RATE_PERIOD", default=600)
DRAGOMAN_COMMENT_MAX_LINKS = env.int("DRAGOMAN_COMMENT_MAX_LINKS", default=2)
# Optional spam check by Akismet: the only outside service, used only when a key is set.
DRAGOMAN_AKISMET_KEY = env.str("DRAGOMAN_AKISMET_KEY", default="")
# Header our own front server sets with the client address (e.g. HTTP_X_REAL_IP); empty
# means REMOTE_ADDR. Never set it without a front server that overwrites the header.
DRAGOMAN_CLIENT_IP_HEADER = env.str("DRAGOMAN_CLIENT_IP_HEADER", default="")
# Days after which readers' email addresses and client hashes are purged.
DRAGOMAN_COMMENT_RETENTION_DAYS = env.int("DRAGOMAN_COMMENT_RETENTION_DAYS", default=180)
# Loopback load tests only (bench/comments.py): skips the minimum time and the rate limit
# for requests from 127.0.0.1/::1. Off by default; never needed in a deployment.
DRAGOMAN_COMMENT_BENCHMARK = env.bool("DRAGOMAN_COMMENT_BENCHMARK", default=False)
