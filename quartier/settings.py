"""Settings of the "Gemeinsam für das Quartier" portal.

Every value that differs between machines is read from the environment (see ``.env.example``).
With no configuration at all the portal runs for development on a SQLite file in the project
folder; with ``DEBUG`` off it refuses to start unless ``SECRET_KEY``, ``DATABASE_URL`` and
``ALLOWED_HOSTS`` are set.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from quartier.middleware import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present; real environment variables win.
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _required_in_production(name: str) -> None:
    if not DEBUG and not env.str(name, default=""):
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set when DEBUG is off "
            f"(see .env.example). For local development run `make run`, which sets DEBUG=1."
        )


for _name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
    _required_in_production(_name)

# In development an unset key is replaced by a fixed, clearly insecure one so that sessions work;
# production never reaches this default because of the check above.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # widget templates for FORM_RENDERER
    # third-party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_tasks",
    "quartier.task_queue.TaskQueueConfig",  # django-tasks-db, named for staff
    "import_export",
    "reversion",
    "quartier.topics.TopicsConfig",  # taggit, named "Themen" for staff
    # ours
    "quartier",
    "actors",
    "events",
    "projects",
]

MIDDLEWARE = [
    # First, so that every log line of the request names its id (quartier/request_id.py).
    "quartier.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files carry it too.
    "quartier.middleware.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz for the load balancer, before anything that reads the session (quartier/health.py).
    "quartier.health.HealthCheckMiddleware",
    # An ETag on every page, and "304 Not Modified" when the browser has it already.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Public pages for anonymous visitors from the cache (quartier/page_cache.py): after what
    # tells who is asking, before the rest, so that a page from the cache costs little.
    "quartier.page_cache.PageCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff reach the admin only with a verified address and a second factor; idle expiry.
    "quartier.staff_access.StaffAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "quartier.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "quartier.urls"
# {{ form }} renders in the KERN design system's markup (templates/includes/forms/).
FORM_RENDERER = "quartier.forms.PortalFormRenderer"
WSGI_APPLICATION = "quartier.wsgi.application"

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
                "quartier.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite in the project folder unless DATABASE_URL names another database,
# e.g. postgres://postgres@127.0.0.1:5432/quartier
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection is kept for the next requests (opening one costs more than many a query), and
# checked before it is reused, so that a restarted database server costs no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two writes that meet wait for each other instead of failing with "database is locked":
    # readers do not block the writer (WAL), a transaction takes the write lock when it begins
    # rather than halfway through (IMMEDIATE), and waits up to 20 seconds for it (timeout).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Holds the page cache, computed facets and the counters of the rate limits. With REDIS_URL
# (e.g. redis://127.0.0.1:6379/1) all gunicorn workers share it in Redis; a Redis that does not
# answer is no error, only slower (quartier/cache.py). Without it, CACHE_URL names another
# cache (e.g. dbcache://portal_cache after `manage.py createcachetable`); the default lives in
# each process's memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "quartier.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis answers in well under a millisecond; a server that hangs must not hold up
            # every request.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}
# Seconds a public page stays in the cache for anonymous visitors; 0 turns the page cache off.
# A change of what it shows replaces it at once (quartier/content_version.py); only what changes
# with the time alone (an event that has begun, a registration that has closed) shows up to
# this late.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)

# --- Accounts (django-allauth) ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Everyone, staff included, signs in on the portal with their e-mail address (the admin's
    # own login form only leads there). A ModelBackend, so it also answers staff permissions.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_overview"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "quartier.accounts.forms.SignupNameForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sign-up, login and password reset answer the same whether an address is known or not.
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's defaults, named here so that nobody switches them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "quartier.accounts.adapter.AccountAdapter"
# allauth names people by their generated user name otherwise, which nobody ever sees.
ACCOUNT_USER_DISPLAY = "quartier.accounts.adapter.user_display"
# Changing the password or the e-mail addresses, and managing the second factor, ask for the
# password (or a second factor) again unless it was given in the last five minutes ...
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
# ... and each such change is told to the person by e-mail.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# --- Second factor (allauth.mfa) and the staff's access to the admin ---------------------------
# An authenticator app (TOTP) with recovery codes, and security keys or passkeys (WebAuthn).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# A passkey may stand in for e-mail address and password on the login page.
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Gemeinsam für das Quartier"
# A code is also accepted for 30 seconds after its time step, as RFC 6238 advises: a phone
# whose clock is a little off, or a code typed as it changes, still works.
MFA_TOTP_TOLERANCE = 1
# Browsers allow WebAuthn only over HTTPS, and on http://127.0.0.1 while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Every staff account needs a verified e-mail address and a second factor before any admin
# page shows (quartier/staff_access.py). Only for local development may it be switched off.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
if not STAFF_MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "STAFF_MFA_REQUIRED may be switched off for local development only (DEBUG=1)."
    )
# A staff session ends after this many minutes without a request; visitors' sessions last as
# long as Django's default (two weeks).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

# --- Passwords ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` puts the files that whitenoise serves with DEBUG off.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The KERN UX design system, straight from npm (`npm ci`); nothing of it is copied into git.
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    # Leaflet for the map, from npm as well.
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    # Fonts subset by `make assets` (scripts in quartier/assets.py) from KERN's Fira Sans files.
    ("fonts", BASE_DIR / ".assets" / "fonts"),
]
# While developing (and testing), whitenoise serves straight from the finders and rereads files;
# in production it serves the collected, compressed files from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Documents are kept outside MEDIA_ROOT and reach visitors only through a view that checks
# that their documentation is published; photos' web variants are public under MEDIA_URL.
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=BASE_DIR / "media-documents")
# Photos as uploaded, with their camera's metadata (GPS positions included): outside MEDIA_ROOT,
# reached by no address; the web variants are made from them.
PHOTO_ORIGINALS_ROOT = env.path("PHOTO_ORIGINALS_ROOT", default=BASE_DIR / "media-originals")
# What an upload may be at most (quartier/uploads.py): an image's file and its pixels (Pillow's
# own limit, 89 megapixels, only warns), and what a zip archive (office documents, Excel
# files to import) may unpack to; the largest document is a portal setting in the admin.
UPLOAD_IMAGE_MAX_SIZE_MB = env.int("UPLOAD_IMAGE_MAX_SIZE_MB", default=25)
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=40_000_000)
UPLOAD_IMPORT_MAX_SIZE_MB = env.int("UPLOAD_IMPORT_MAX_SIZE_MB", default=10)
UPLOAD_ZIP_MAX_UNCOMPRESSED_MB = env.int("UPLOAD_ZIP_MAX_UNCOMPRESSED_MB", default=200)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
UPLOAD_ZIP_MAX_MEMBERS = env.int("UPLOAD_ZIP_MAX_MEMBERS", default=5000)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None},
    },
    "photo_originals": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PHOTO_ORIGINALS_ROOT, "base_url": None},
    },
    "staticfiles": {
        # Hashed, compressed names with far-future caching in production; plain files while
        # developing so that a change shows without collectstatic.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Gemeinsam für das Quartier <noreply@localhost>"
)
# Where answers to the portal's e-mails go (the initiative's office); empty sends none.
EMAIL_REPLY_TO = env.list("EMAIL_REPLY_TO", default=[])
# Staff told by e-mail when an application to join has been confirmed and awaits review;
# empty tells nobody (the admin's dashboard lists it all the same).
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=[])
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds the task worker waits for the mail server before it tries the message again later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Every e-mail leaves through the task queue (quartier/mail.py, quartier/tasks.py): by default
# the database, worked off by `manage.py db_worker`, so nothing else has to run. For more
# traffic, django-tasks-rq (not installed by default) keeps the queue in Redis and RQ's workers
# run it: TASKS_BACKEND=django_tasks_rq.RQBackend and TASKS_REDIS_URL (README).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("TASKS_REDIS_URL"), "DEFAULT_TIMEOUT": 300}}
# The portal's public address, for every absolute link: e-mails, Open Graph, feeds, calendars,
# hreflang alternates (never taken from the request's Host).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Security -------------------------------------------------------------------------------
# Sessions live in the database, which every app server shares, and nowhere else. Not
# "cached_db" even with Redis: the Redis client forgives a Redis that does not answer
# (quartier/cache.py), so a logout whose deletion from the cache was lost would leave the old
# session readable there; and only signed-in people have a session, visitors do not.
# `manage.py clearsessions` (daily, README) removes the expired ones.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form sent without a valid token gets the portal's 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "quartier.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy, Permissions-Policy and frame denial reach static files too:
# whitenoise answers before the middleware that sets them on pages (quartier/middleware.py).
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
# Where the admin lives, in both languages ("/admin/", "/en/admin/"); another address only keeps
# it out of the way of scanners that try the usual one, its login is the portal's all the same.
ADMIN_URL = (env.str("ADMIN_URL", default="admin/").strip("/") or "admin") + "/"
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Proxies in front of the portal that append the client's address to X-Forwarded-For; every
# rate limit (the portal's and allauth's) counts the address the outermost of them saw
# (quartier/client_address.py). 0: the header is ignored, as anyone can send it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
# Behind the TLS proxy every plain-HTTP request is redirected to HTTPS, but for /healthz, which
# the load balancer asks over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS (sent on HTTPS responses only): a year behind the TLS proxy, for the host and its
# subdomains; "preload" only allows submitting the domain to the browsers' preload list.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- Logging --------------------------------------------------------------------------------
# Everything to standard output, for the service manager or the container to collect: with
# DEBUG off one JSON object a line (quartier/log_format.py), gunicorn's access log likewise
# (gunicorn.conf.py); plain text while developing. Each line names the request's id, which the
# response carries in X-Request-ID (quartier/request_id.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "quartier.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "quartier.log_format.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own handlers (console while debugging, e-mail to ADMINS) would repeat each line
    # in another format: its loggers reach the one handler above through the root.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# --- The portal -----------------------------------------------------------------------------
# Public contact address of the initiative. The published source names none, so it is empty
# unless configured; pages then show the postal address and phone number only.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")
ACTORS_PER_PAGE = 24
# The map on /projekte/ and /akteure/ loads tiles only after the visitor agrees, from this
# server; use a self-hosted tile server to keep visitors' addresses in-house.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The tile server's credit (HTML); unset, OpenStreetMap's in the language of the page.
MAP_ATTRIBUTION = env.str("MAP_ATTRIBUTION", default="")
# The closest zoom level the tile server offers (19 on tile.openstreetmap.org).
MAP_MAX_ZOOM = env.int("MAP_MAX_ZOOM", default=19)

# --- Forms of the public: spam and abuse -------------------------------------------------------
# A form sent back sooner than this after it was shown is taken for a bot's and shown again.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", default=2)
# Submissions per client address and hour, per form (applications, event registrations).
FORM_RATE_LIMIT_PER_HOUR = env.int("FORM_RATE_LIMIT_PER_HOUR", default=10)
# Hours a confirmation link (double opt-in) stays valid.
CONFIRMATION_LINK_HOURS = env.int("CONFIRMATION_LINK_HOURS", default=72)
# Days the link of an invitation to become an actor's contact person stays valid.
CONTACT_INVITATION_DAYS = env.int("CONTACT_INVITATION_DAYS", default=14)

# --- Request limits ---------------------------------------------------------------------------
# What Django reads of a request at most; a larger one gets the page "Too much data sent" (413,
# quartier/errors.py). The proxy's limit (nginx: client_max_body_size) comes first and must
# allow the largest upload (quartier/media.py); these limits count the form's text without its
# files. A public form sends a few kilobytes, an admin page with many inline rows more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, stated
# Fields of one form: the admin's change forms with many photos or programme items stay below.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# Uploads larger than this are written to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Retention of personal data (`manage.py purge_personal_data`, daily) ----------------------
# Applications and registrations whose e-mail address was never confirmed are deleted after ...
RETENTION_UNCONFIRMED_DAYS = env.int("RETENTION_UNCONFIRMED_DAYS", default=7)
# Registrations of events that ended longer ago than this are anonymised (12 months).
RETENTION_REGISTRATIONS_DAYS = env.int("RETENTION_REGISTRATIONS_DAYS", default=365)
# Decided (approved or rejected) applications lose the contact person's data after ... (12 months).
RETENTION_DECIDED_APPLICATIONS_DAYS = env.int("RETENTION_DECIDED_APPLICATIONS_DAYS", default=365)
# Accounts whose e-mail address was never verified are deleted after ...
RETENTION_UNVERIFIED_ACCOUNTS_DAYS = env.int("RETENTION_UNVERIFIED_ACCOUNTS_DAYS", default=7)
# Finished tasks of the queue, which hold the e-mails sent or given up, are deleted after ...
RETENTION_FINISHED_TASKS_DAYS = env.int("RETENTION_FINISHED_TASKS_DAYS", default=14)

# --- Import and export of spreadsheets in the admin (django-import-export) ---------------------
# Importing needs the model's "add" permission, exporting its "view" permission (registrations:
# events.export_registration, see RegistrationAdmin).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Every imported row leaves an entry in the admin's change log, as a save in the form does.
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

if env.bool("FAST_PASSWORD_HASHER", default=False):
    # Used by the test suite: hashing with the default hasher would dominate its run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
