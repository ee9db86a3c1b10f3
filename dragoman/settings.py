"""Every setting of Dragoman, driven by environment variables (12-factor).

Development defaults need nothing installed: SQLite in WAL mode and a local cache.
`DRAGOMAN_ENV=production` turns on everything `manage.py check --deploy` asks for and
refuses to start without a secret key. The README lists every variable.
"""

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dragoman.operations.logs import logging_config
from dragoman.operations.s3 import s3_location

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
# Reach (docs/reach.md): more host names the public site answers under (mirrors, for readers
# whose country blocks the main one), and the Tor onion service's address.
DRAGOMAN_MIRROR_HOSTS = [host.lower() for host in env.list("DRAGOMAN_MIRROR_HOSTS", default=[])]
DRAGOMAN_ONION_ADDRESS = (
    env.str("DRAGOMAN_ONION_ADDRESS", default="").lower().removeprefix("http://").strip("/")
)
ALLOWED_HOSTS += [
    *DRAGOMAN_MIRROR_HOSTS,
    *([DRAGOMAN_ONION_ADDRESS] if DRAGOMAN_ONION_ADDRESS else []),
]

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
    "dragoman.campaigns",
    "django_countries",
    "dragoman.federation",
    "dragoman.questions",
    "dragoman.subscriptions",
    "anymail",
    "dragoman.communities",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "dragoman.migration",
    "dragoman.operations",
    "dragoman.evaluation",
    "dragoman.reach",
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
    # Request id, metrics and access line of what the page cache did not answer (operations).
    "dragoman.operations.middleware.RequestMiddleware",
    # Which reads may go to a read replica (only with DATABASE_REPLICA_URL; core/replicas.py).
    "dragoman.core.replicas.ReplicaReadsMiddleware",
    # The host the reader came by (mirror, onion service) and the text-only pages: below the
    # page cache, which keys on both; see docs/reach.md.
    "dragoman.core.hosts.HostMiddleware",
    "dragoman.core.textonly.TextOnlyMiddleware",
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
    "allauth.account.middleware.AccountMiddleware",
    "dragoman.communities.middleware.MemberPagesMiddleware",
    "dragoman.communities.middleware.SecondFactorRequiredMiddleware",
    # An old WordPress site's /?p=123 addresses (dragoman/migration).
    "dragoman.migration.middleware.LegacyAddressMiddleware",
    "dragoman.publishing.middleware.KnownSiteMiddleware",
    # Blog, profile and entry addresses answer ActivityPub clients (dragoman/federation).
    "dragoman.federation.negotiation.ActivityNegotiationMiddleware",
]

ROOT_URLCONF = "dragoman.urls"
WSGI_APPLICATION = "dragoman.wsgi.application"
ASGI_APPLICATION = "dragoman.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Our HTML templates lose their indentation as they load (see the module).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "dragoman.core.template_loaders.FilesystemLoader",
                        "dragoman.core.template_loaders.AppDirectoriesLoader",
                    ],
                )
            ],
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
# A comment acknowledged to its reader must survive a power cut: FULL syncs the WAL at every
# commit (NORMAL only at checkpoints, so the last commits could vanish). Measured by
# `make bench-comments`; NORMAL is for that comparison, never for production.
SQLITE_SYNCHRONOUS = env.str("DRAGOMAN_SQLITE_SYNCHRONOUS", default="FULL").upper()
if SQLITE_SYNCHRONOUS not in ("FULL", "NORMAL"):
    raise ImproperlyConfigured("DRAGOMAN_SQLITE_SYNCHRONOUS must be FULL or NORMAL.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while a writer commits; IMMEDIATE transactions take the
            # write lock up front, so concurrent writers wait (busy timeout) instead of
            # failing with "database is locked" halfway through.
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
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
# A streaming replica of the primary (PostgreSQL): the reads that may lag go there (public
# pages, feeds and search for anonymous readers); everything else, and every write, stays on
# the primary. See dragoman/core/replicas.py and docs/operations.md ("A cluster").
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 0))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    # Tests run against one database: the replica alias reads it too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dragoman.core.replicas.ReplicaRouter"]
# PostgreSQL's Memoize sets up a hash table sized by the planner's estimate of the rows it may
# see: for a short list joined to its entries ("Recent comments", 5 of 10,000,000) that setup
# took 3.3 ms of a 3.5 ms statement at 1,000,000 entries (0.16 ms without), on every listing
# page and search. Our reads are short, limited lists: without it the home page went from
# 27-28 to 16 ms and the search page's p95 from 101 to 88 ms at 1,000,000 entries
# (bench/results/2026-12-07-memoize-postgresql.md). An `options` in DATABASE_URL is kept; this adds to it.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        if "enable_memoize" not in _options.get("options", ""):
            _options["options"] = f"{_options.get('options', '')} -c enable_memoize=off".strip()
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
# A file cache that counts its files now and then, not at every write (dragoman/core/
# filecache.py), so it can hold the pages of a whole network: 10,000 entries (pages, their
# compressed copies and tokens; about 300 MB of pages) unless CACHE_URL says ?max_entries=.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["BACKEND"] = "dragoman.core.filecache.FileCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
# Image renditions, in the default cache, read without being written back at every render
# (dragoman/core/renditions_cache.py).
CACHES["renditions"] = {
    "BACKEND": "dragoman.core.renditions_cache.RenditionsCache",
    "LOCATION": "default",
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
# One search index per entry: the public search's (dragoman.search, below). The admin's own
# search reads the tables directly (Wagtail's fallback backend, no index of its own to keep).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database.fallback", "AUTO_UPDATE": False}
}
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
STORAGES: dict[str, dict[str, Any]] = {
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

# Email subscriptions (dragoman/subscriptions, docs/subscriptions.md) -------------------------
# Messages a second to the mail server, per sending worker, and how many a task sends at once.
DRAGOMAN_SUBSCRIPTIONS_RATE = env.float("DRAGOMAN_SUBSCRIPTIONS_RATE", default=10.0)
DRAGOMAN_SUBSCRIPTIONS_BATCH = env.int("DRAGOMAN_SUBSCRIPTIONS_BATCH", default=200)
DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL = env.str("DRAGOMAN_SUBSCRIPTIONS_FROM_EMAIL", default="")
# Envelope sender (Return-Path) where bounces arrive, and the mailbox subscriptions-bounces
# reads: imaps://user:password@host/INBOX, imap://..., maildir:/path or mbox:/path.
DRAGOMAN_SUBSCRIPTIONS_BOUNCE_ADDRESS = env.str("DRAGOMAN_SUBSCRIPTIONS_BOUNCE_ADDRESS", default="")
DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX = env.str("DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX", default="")
# A mail provider's API instead of SMTP: set EMAIL_BACKEND to an anymail backend
# (e.g. anymail.backends.postmark.EmailBackend) and its keys in ANYMAIL; the provider's
# tracking webhook, /anymail/<provider>/tracking/, takes basic auth with WEBHOOK_SECRET.
ANYMAIL = env.json("DRAGOMAN_ANYMAIL", default={})
if env.str("DRAGOMAN_ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env.str("DRAGOMAN_ANYMAIL_WEBHOOK_SECRET")
if env.str("DRAGOMAN_EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("DRAGOMAN_EMAIL_BACKEND")

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
    # The live process asks this of the page server on loopback, in plain HTTP (public facts).
    SECURE_REDIRECT_EXEMPT = [r"^questions/\d+/live\.json$"]
    SECURE_HSTS_SECONDS = env.int("DRAGOMAN_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DRAGOMAN_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DRAGOMAN_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy (nginx, Caddy, a load balancer).
    if env.bool("DRAGOMAN_BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DRAGOMAN_SILENCE_SSL_REDIRECT_CHECK", default=False):
        # For loopback benchmarks only: TLS is terminated elsewhere or not at all.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

if DRAGOMAN_ONION_ADDRESS:
    # Django's, without the redirect to HTTPS and HSTS on the onion service (docs/reach.md).
    MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")] = (
        "dragoman.core.hosts.SecurityMiddleware"
    )
    # Django's deployment check looks for its own class by name; ours is a subclass. (Its
    # other checks of the security settings are skipped then: they pass without an onion.)
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W001"]

# Dragoman -----------------------------------------------------------------------------------------
# Entries per page on blog, tag, archive and profile pages.
DRAGOMAN_PAGE_SIZE = 10
DRAGOMAN_FEED_SIZE = 20

# Serve uploaded media from the app itself (single machine); set false behind a front server.
DRAGOMAN_SERVE_MEDIA = env.bool("DRAGOMAN_SERVE_MEDIA", default=True)

# Operations (dragoman/operations, docs/operations.md) -----------------------------------------
# Logs: one JSON object a line with DRAGOMAN_LOG_FORMAT=json; every line of a request carries
# its id (the front server's X-Request-ID when well formed); an access line per request that
# reached Django with DRAGOMAN_ACCESS_LOG=true (route, status, time; no address, no query).
DRAGOMAN_LOG_FORMAT = env.str("DRAGOMAN_LOG_FORMAT", default="text")
if DRAGOMAN_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("DRAGOMAN_LOG_FORMAT must be 'text' or 'json'.")
LOGGING = logging_config(
    json_format=DRAGOMAN_LOG_FORMAT == "json",
    level=env.str("DRAGOMAN_LOG_LEVEL", default="INFO"),
    access_log=env.bool("DRAGOMAN_ACCESS_LOG", default=False),
)
# /readyz fails when more tasks than this wait in the queue (workers are missing or stuck).
DRAGOMAN_READY_MAX_BACKLOG = env.int("DRAGOMAN_READY_MAX_BACKLOG", default=1000)
# /metrics answers these addresses (networks allowed), or a request with this bearer token.
DRAGOMAN_METRICS_ALLOWED_ADDRESSES = env.list(
    "DRAGOMAN_METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"]
)
DRAGOMAN_METRICS_TOKEN = env.str("DRAGOMAN_METRICS_TOKEN", default="")
# Where `dragoman backup` writes when no --to is given: a folder or s3://bucket/prefix.
DRAGOMAN_BACKUP_TO = env.str("DRAGOMAN_BACKUP_TO", default=str(DATA_DIR / "backups"))
# Media (uploads, image renditions) on S3-compatible object storage: s3://bucket/prefix
# (?endpoint_url=https://... for a service other than AWS). Addresses are unsigned, so that a
# cached page's images never expire: the bucket (or a CDN before it) serves media publicly.
DRAGOMAN_MEDIA_URL = env.str("DRAGOMAN_MEDIA_URL", default="")
if DRAGOMAN_MEDIA_URL:
    try:
        _media = s3_location(DRAGOMAN_MEDIA_URL)
    except ValueError as error:
        raise ImproperlyConfigured(f"DRAGOMAN_MEDIA_URL: {error}") from error
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media.bucket,
            "location": _media.prefix,
            "endpoint_url": _media.endpoint_url,
            "region_name": _media.region,
            "querystring_auth": False,
            "file_overwrite": False,
            # Where readers fetch media (a CDN's address); empty: the bucket's own address.
            "custom_domain": env.str("DRAGOMAN_MEDIA_PUBLIC_HOST", default="") or None,
        },
    }
    DRAGOMAN_SERVE_MEDIA = False

# Images and documents of a community's collection are kept outside the public media and
# served by a members' view (dragoman/communities/media.py); every other file goes to the
# public storage configured above.
STORAGES["default"] = {
    "BACKEND": "dragoman.communities.media.MediaStorage",
    "OPTIONS": {"public": STORAGES["default"]},
}

# Page cache (dragoman/publishing): anonymous public pages rendered once, refreshed on change.
DRAGOMAN_PAGE_CACHE = env.bool("DRAGOMAN_PAGE_CACHE", default=True)
# Seconds a stored page lives at most; changes refresh it long before.
DRAGOMAN_PAGE_CACHE_TIMEOUT = env.int("DRAGOMAN_PAGE_CACHE_TIMEOUT", default=86400)
# Bytes of pages each server process also keeps in its own memory (the hottest ones).
DRAGOMAN_PAGE_CACHE_LOCAL_BYTES = env.int(
    "DRAGOMAN_PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024
)
DRAGOMAN_BROTLI_QUALITY = env.int("DRAGOMAN_BROTLI_QUALITY", default=9)
# A folder where cached pages are also written as files for a front server on this machine to
# serve itself (nginx, publishing/pagefiles.py, docs/operations.md); empty: off.
DRAGOMAN_PAGE_FILES_DIR = env.str("DRAGOMAN_PAGE_FILES_DIR", default="")
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

# Federation (dragoman/federation): ActivityPub ------------------------------------------------
# Seconds a signed request's date may be off from ours; signatures are remembered twice as
# long, so that a replay is refused.
DRAGOMAN_FEDERATION_SIGNATURE_WINDOW = env.int("DRAGOMAN_FEDERATION_SIGNATURE_WINDOW", default=300)
# Requests to other servers: seconds before giving up, and the largest answer read.
DRAGOMAN_FEDERATION_TIMEOUT = env.float("DRAGOMAN_FEDERATION_TIMEOUT", default=10.0)
DRAGOMAN_FEDERATION_MAX_BYTES = env.int("DRAGOMAN_FEDERATION_MAX_BYTES", default=1024 * 1024)
# Loopback tests only: lets the federation talk to private and loopback addresses.
DRAGOMAN_FEDERATION_ALLOW_PRIVATE = env.bool("DRAGOMAN_FEDERATION_ALLOW_PRIVATE", default=False)
# Authorized fetch (Mastodon's "secure mode"): actors and entries in ActivityPub form only to
# requests signed by a server that is not blocked.
DRAGOMAN_FEDERATION_AUTHORIZED_FETCH = env.bool(
    "DRAGOMAN_FEDERATION_AUTHORIZED_FETCH", default=False
)
# Question sessions' live streams (dragoman/questions/live.py). Pages open them at this
# origin ("" = the site's own /live/, which a front server routes to the live process), or,
# without a front server, on this port of the page's own host (`dragoman serve` sets it).
DRAGOMAN_LIVE_URL = env.str("DRAGOMAN_LIVE_URL", default="")
DRAGOMAN_LIVE_PORT = env.int("DRAGOMAN_LIVE_PORT", default=0)
# Streams one live process holds at most (idle ones cost a few kilobytes each).
# The ASGI application `dragoman serve` runs for /live/ in a process of its own.
DRAGOMAN_LIVE_APPLICATION = "dragoman.questions.asgi:application"
DRAGOMAN_LIVE_MAX_STREAMS = env.int("DRAGOMAN_LIVE_MAX_STREAMS", default=20000)
# Where the live process asks the page server whether the public may see a session page
# (`dragoman serve` sets it to its own pages; default http://127.0.0.1:8000).
DRAGOMAN_LIVE_PAGES_URL = env.str("DRAGOMAN_LIVE_PAGES_URL", default="")
# Communities (dragoman/communities): members' accounts and sign-in by django-allauth ---------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the Wagtail admin's username and password
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "dragoman.communities.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # signup is closed (adapters.py)
ACCOUNT_EMAIL_VERIFICATION = "none"  # addresses are proven by the invitation or the code
ACCOUNT_UNIQUE_EMAIL = True
# Passwordless sign-in: a one-time code sent by email, three tries, then it is void.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_PREVENT_ENUMERATION = True
# No mail to addresses that have no account: the form must not be a way to send spam.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Guessing is slowed, then stopped for a while: per address ("key") and per client ("ip").
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "request_login_code": "20/m/ip,3/15m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "communities:mine"
# A second factor: TOTP with recovery codes; the digital team must set one up.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Groups whose members must sign in with a second factor (comma-separated; empty: nobody).
DRAGOMAN_MFA_REQUIRED_GROUPS = [
    name for name in env.list("DRAGOMAN_MFA_REQUIRED_GROUPS", default=["Digital team"]) if name
]
# Attachments of members' replies: outside MEDIA_ROOT, served only by a members' view.
DRAGOMAN_COMMUNITY_FILES_ROOT = Path(
    env.str("DRAGOMAN_COMMUNITY_FILES_ROOT", default=str(DATA_DIR / "community-files"))
)
# Evaluation (dragoman/evaluation, docs/privacy.md): counting served pages without tracking.
# Off: nothing is counted and serving pays nothing for it.
DRAGOMAN_COUNTING = env.bool("DRAGOMAN_COUNTING", default=True)
# Each process writes what it counted once this many requests wait, or after this many seconds.
DRAGOMAN_COUNTING_BATCH = env.int("DRAGOMAN_COUNTING_BATCH", default=1000)
DRAGOMAN_COUNTING_INTERVAL = env.float("DRAGOMAN_COUNTING_INTERVAL", default=10.0)
# More user-agent patterns (regular expressions) to count as robots, beside the kept list.
DRAGOMAN_COUNTING_EXTRA_ROBOTS = env.list("DRAGOMAN_COUNTING_EXTRA_ROBOTS", default=[])
