"""Parvis settings: one file, every value read from the environment.

See docs/configuration.md for each variable. Production is the default:
DEBUG is off and a real SECRET_KEY is required unless PARVIS_DEBUG=true
(which `make run` sets for the embedded demo).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PARVIS_DATA_DIR", str(BASE_DIR / "var"))).resolve()
RUNNING_TESTS = "PYTEST_VERSION" in os.environ

DEBUG = env_bool("PARVIS_DEBUG", False)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key and not key.startswith("django-insecure") and key != "change-me":
        return key
    if key and DEBUG:
        return key
    if RUNNING_TESTS:
        return secrets.token_urlsafe(50)
    if DEBUG:
        # The embedded demo keeps a generated key in its data folder, so
        # sessions survive a restart of `make run`.
        path = DATA_DIR / "secret_key"
        if not path.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or is a default value. Set SECRET_KEY (or SECRET_KEY_FILE) "
        "to a long random string, e.g. the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


SECRET_KEY = _secret_key()
# Keys that were rotated out but whose signatures (sessions, links) stay valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
# The key that encrypts network tokens at rest; derived from SECRET_KEY when unset.
PARVIS_ENCRYPTION_KEYS = env_list("PARVIS_ENCRYPTION_KEYS") or [SECRET_KEY]

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG or RUNNING_TESTS else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PARVIS_BASE_URL = env_str("PARVIS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Short links (parvis/links): the address they start with (a shorter host of its own may
# point at this server: every /l/<code> path is answered), how long a server process
# remembers a code, and how clicks are written (in batches; 0 ms: each click at once).
PARVIS_SHORT_LINK_BASE_URL = env_str("PARVIS_SHORT_LINK_BASE_URL", PARVIS_BASE_URL + "/l/")
if not PARVIS_SHORT_LINK_BASE_URL.endswith("/"):
    PARVIS_SHORT_LINK_BASE_URL += "/"
PARVIS_SHORT_LINK_CACHE_SECONDS = env_int("PARVIS_SHORT_LINK_CACHE_SECONDS", 60)
PARVIS_CLICK_FLUSH_SECONDS = env_int("PARVIS_CLICK_FLUSH_MS", 0 if RUNNING_TESTS else 1000) / 1000
PARVIS_CLICK_BATCH = env_int("PARVIS_CLICK_BATCH", 200)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "parvis.core",
    "parvis.engine",
    "parvis.accounts",
    "parvis.networks",
    "parvis.networks.sandbox",
    "parvis.channels",
    "parvis.notifications",
    "parvis.publishing",
    "parvis.strategy",
    "parvis.links",
    "parvis.analytics",
    "parvis.inbox",
    "parvis.community",
    "parvis.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Short links answer here, before sessions, CSRF and the rest (see parvis/links/redirect.py).
    "parvis.links.redirect.ShortLinkMiddleware",
    # Networks' webhook deliveries too (see parvis/inbox/hooks.py).
    "parvis.inbox.hooks.WebhookMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parvis.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parvis.web.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
SQLITE_PATH = DATA_DIR / "parvis.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE
        # transactions take the write lock up front, which is how a worker
        # claims rows on SQLite (see ARCHITECTURE: claiming).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a real file (not shared-cache memory, which has table locks
    # that ignore busy_timeout), so concurrency behaves as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"parvis-test-{os.getpid()}.sqlite3")
    }
    # Index columns PostgreSQL stores beside the keys (the inbox list's indexes): SQLite
    # builds those indexes without them, which changes nothing but their speed there.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks ------------------------------------------------------
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
_task_backend = env_str("PARVIS_TASK_BACKEND", "immediate" if RUNNING_TESTS else "database")
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_task_backend, _task_backend),
        "QUEUES": ["default"],
    }
}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
PARVIS_INVITATION_DAYS = env_int("PARVIS_INVITATION_DAYS", 7)

# Login throttling (django-axes): lock a username + IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("PARVIS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("PARVIS_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("PARVIS_LOGIN_THROTTLING", True)
AXES_VERBOSE = False

# --- Email -------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Parvis <parvis@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    _email_port = env_int("EMAIL_PORT", 587)
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": _email_port,
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_secret("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", _email_port == 587),
            "use_ssl": env_bool("EMAIL_USE_SSL", _email_port == 465),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    }
else:
    # No SMTP server configured: emails are printed on the console.
    _mailer = {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
MAILERS = {"default": _mailer}
del EMAIL_HOST

# --- Languages and time ------------------------------------------------------
LANGUAGE_CODE = env_str("PARVIS_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "parvis" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
PARVIS_DEFAULT_TIME_ZONE = {"en": "UTC", "fr": "Europe/Paris"}

# --- Static and media files ---------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# The largest image or video the media library takes, in MB (networks have their own
# limits, checked per channel in the composer).
PARVIS_MEDIA_MAX_MB = env_int("PARVIS_MEDIA_MAX_MB", 512)
# How long a media file's public address (for networks that fetch media, like
# Instagram) stays valid: ``PARVIS_BASE_URL/media/public/<signed token>/``.
PARVIS_PUBLIC_MEDIA_HOURS = env_int("PARVIS_PUBLIC_MEDIA_HOURS", 24)
STORAGES = {
    "default": {
        "BACKEND": env_str("PARVIS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or RUNNING_TESTS
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or RUNNING_TESTS

# --- Security ---------------------------------------------------------------
_secure = not DEBUG and not RUNNING_TESTS and env_bool("PARVIS_HTTPS", True)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure and env_bool("PARVIS_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _secure else None
SECURE_HSTS_SECONDS = env_int("PARVIS_HSTS_SECONDS", 0 if not _secure else 60 * 60 * 24 * 30)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # FullCalendar and htmx set inline styles on elements they draw.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],  # FullCalendar embeds its icon font
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Publishing engine ----------------------------------------------------------
# Rows a worker claims at once, and how many network calls may run together:
# per channel (1 keeps a channel's posts in order) and per network.
PARVIS_PUBLISH_BATCH = env_int("PARVIS_PUBLISH_BATCH", 200)
PARVIS_PUBLISH_PER_CHANNEL = env_int("PARVIS_PUBLISH_PER_CHANNEL", 1)
PARVIS_PUBLISH_PER_NETWORK = env_int("PARVIS_PUBLISH_PER_NETWORK", 100)
# How often each channel's figures (followers, views, likes...) are collected.
PARVIS_METRICS_EVERY_MINUTES = env_int("PARVIS_METRICS_EVERY_MINUTES", 60)
# The inbox reads each channel's new comments, mentions and messages this often
# (webhooks bring them sooner where the network sends them); a page of at least
# PARVIS_INBOX_FULL_PAGE items is followed by the next one at once.
PARVIS_INBOX_POLL_SECONDS = env_int("PARVIS_INBOX_POLL_SECONDS", 60)
PARVIS_INBOX_FULL_PAGE = env_int("PARVIS_INBOX_FULL_PAGE", 50)
# An author with at least this many followers (when the network says) raises the priority.
PARVIS_INBOX_LARGE_AUDIENCE = env_int("PARVIS_INBOX_LARGE_AUDIENCE", 10000)

# --- The Sandbox network (a simulated network for trying Parvis) --------------
# Latency range in ms, and the share of calls that fail, are rate limited, or
# whose answer is lost after the post was made (to show verification).
PARVIS_SANDBOX_LATENCY_MS = tuple(
    int(v)
    for v in env_list("PARVIS_SANDBOX_LATENCY_MS", ["0", "0"] if RUNNING_TESTS else ["50", "400"])
)
PARVIS_SANDBOX_FAILURE_RATE = float(
    env_str("PARVIS_SANDBOX_FAILURE_RATE", "0" if RUNNING_TESTS else "0.02")
)
PARVIS_SANDBOX_RATE_LIMIT_RATE = float(
    env_str("PARVIS_SANDBOX_RATE_LIMIT_RATE", "0" if RUNNING_TESTS else "0.01")
)
PARVIS_SANDBOX_LOST_RESPONSE_RATE = float(
    env_str("PARVIS_SANDBOX_LOST_RESPONSE_RATE", "0" if RUNNING_TESTS else "0.01")
)
PARVIS_SANDBOX_AUDIENCE_SECONDS = env_int("PARVIS_SANDBOX_AUDIENCE_SECONDS", 30)

# --- Real networks -------------------------------------------------------------
# Where the X API v2 answers (tests and benchmarks point it at tests/servers/x).
PARVIS_X_API_BASE_URL = env_str("PARVIS_X_API_BASE_URL", "https://api.x.com").rstrip("/")
# The installation's X app (developer portal: OAuth 2.0, "Web App" = confidential client).
# Without a client id, X cannot be connected and the connect page says so.
PARVIS_X_CLIENT_ID = env_str("PARVIS_X_CLIENT_ID", "")
PARVIS_X_CLIENT_SECRET = env_secret("PARVIS_X_CLIENT_SECRET")  # or PARVIS_X_CLIENT_SECRET_FILE
# X's consent page (the token endpoint is PARVIS_X_API_BASE_URL + /2/oauth2/token).
PARVIS_X_AUTHORIZE_URL = env_str("PARVIS_X_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize")
# The Meta app (Facebook Pages and Instagram): see the README, "Facebook and Instagram".
# Without an app id and secret, Facebook and Instagram are shown but cannot be connected.
PARVIS_META_APP_ID = env_str("PARVIS_META_APP_ID")
PARVIS_META_APP_SECRET = env_secret("PARVIS_META_APP_SECRET")
# Facebook Login for Business: the configuration's id (its permissions); empty: scopes.
PARVIS_META_CONFIG_ID = env_str("PARVIS_META_CONFIG_ID")
# The token typed in the Meta app's webhook settings, echoed back by the handshake.
PARVIS_META_WEBHOOK_VERIFY_TOKEN = env_secret("PARVIS_META_WEBHOOK_VERIFY_TOKEN")
# Where the Graph API and the login dialog answer (tests point them at tests/servers/meta).
PARVIS_META_GRAPH_URL = env_str("PARVIS_META_GRAPH_URL", "https://graph.facebook.com").rstrip("/")
PARVIS_META_DIALOG_URL = env_str("PARVIS_META_DIALOG_URL", "https://www.facebook.com").rstrip("/")
PARVIS_META_API_VERSION = env_str("PARVIS_META_API_VERSION", "v24.0")
# Networks whose connector works but cannot be connected from the interface yet:
# listed here (e.g. "x"), they serve channels created otherwise; never offered to connect.
PARVIS_PREVIEW_NETWORKS = env_list("PARVIS_PREVIEW_NETWORKS")
# Instagram Login (the Meta app's Instagram product), for accounts with no Facebook
# Page: see the README, "Instagram". Without them, only "Instagram through a Facebook
# Page" (the Meta app) can be connected.
PARVIS_INSTAGRAM_APP_ID = env_str("PARVIS_INSTAGRAM_APP_ID")
PARVIS_INSTAGRAM_APP_SECRET = env_secret("PARVIS_INSTAGRAM_APP_SECRET")
# Where Instagram Login and its Graph API answer (tests point them at tests/servers/instagram).
PARVIS_INSTAGRAM_AUTHORIZE_URL = env_str(
    "PARVIS_INSTAGRAM_AUTHORIZE_URL", "https://www.instagram.com"
).rstrip("/")
PARVIS_INSTAGRAM_API_URL = env_str("PARVIS_INSTAGRAM_API_URL", "https://api.instagram.com").rstrip(
    "/"
)
PARVIS_INSTAGRAM_GRAPH_URL = env_str(
    "PARVIS_INSTAGRAM_GRAPH_URL", "https://graph.instagram.com"
).rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PARVIS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # httpx logs every request's full URL at INFO, query string included (where
        # some APIs carry tokens): core/http.py logs calls itself, redacted.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
