"""Django settings of the workspace, every value from environment variables (see ``config.py``).

The README's "Workspace" section lists the variables. Over HTTPS (SECURABLE_WEB_HTTPS=1) the session
and CSRF cookies are ``__Host-`` cookies: Secure, path /, no Domain, so no sibling host can set them.
"""

from __future__ import annotations

import os
from pathlib import Path

from securable.web import config

_env = os.environ
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = config.secret_key(_env)
DEBUG = config.flag(_env, "SECURABLE_WEB_DEBUG")
ALLOWED_HOSTS = config.allowed_hosts(_env)
HTTPS = config.flag(_env, "SECURABLE_WEB_HTTPS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "securable.web.orgs",
    "securable.web.audit",
    "securable.web.products",
    "securable.web.api",
    "securable.web.agency",
    "securable.web.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "securable.web.middleware.SecurityHeadersMiddleware",
    "securable.web.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "securable.web.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "securable.web.urls"
WSGI_APPLICATION = "securable.web.wsgi.application"

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
                "securable.web.orgs.context.organizations",
            ],
        },
    },
]

DATABASES = {"default": config.database(_env)}
_replica = config.replica(_env, DATABASES["default"])
if _replica is not None:
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["securable.web.routing.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "securable.web.routing.ReplicaReadsMiddleware",
    )
# Background jobs (securable.web.jobs): inline on SQLite; on PostgreSQL a procrastinate queue in the
# same database, run by `manage.py procrastinate worker`.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("procrastinate.contrib.django")
    PROCRASTINATE_IMPORT_PATHS = ["securable.web.queue"]
    PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
# The key that seals organizations' package-signing keys at rest (securable.web.products.keys);
# without it, one derived from SECRET_KEY.
SIGNING_KEY_SECRET = _env.get("SECURABLE_WEB_KEY_SECRET", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Local accounts by e-mail address. With a mail server (SECURABLE_WEB_SMTP_HOST) addresses are
# verified by a mailed link; without one they cannot be, and MFA stays unavailable: allauth lets only
# verified addresses add a second factor, or whoever signed up first with someone's address could
# lock its owner out.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
SMTP_HOST = _env.get("SECURABLE_WEB_SMTP_HOST", "")
ACCOUNT_EMAIL_VERIFICATION = "optional" if SMTP_HOST else "none"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# allauth's defaults already limit failed sign-ins; stated here so the policy is visible.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
# Sensitive actions (securable.web.reauth) ask again for the password or the second factor when the
# last re-authentication is older than this many seconds. Not a code by mail: a mailbox is a weaker
# proof than either, and an address may be unverified.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# Second factor: time-based one-time passwords or security keys (WebAuthn), with recovery codes (at
# /accounts/2fa/). Security keys need HTTPS, except on localhost (the demo and the browser tests).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
# Single sign-on (OpenID Connect), configured from SECURABLE_WEB_OIDC_* (see config.oidc_apps).
# An SSO sign-in never takes over a local account with the same address: that would let whoever
# controls the provider's address claim sign in as anyone.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": config.oidc_apps(_env)}}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
MFA_TOTP_ISSUER = "Securable workspace"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = int(_env.get("SECURABLE_WEB_SMTP_PORT", "587"))
    EMAIL_HOST_USER = _env.get("SECURABLE_WEB_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = _env.get("SECURABLE_WEB_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = EMAIL_PORT != 465
    EMAIL_USE_SSL = EMAIL_PORT == 465
    DEFAULT_FROM_EMAIL = _env.get("SECURABLE_WEB_MAIL_FROM", f"securable@{ALLOWED_HOSTS[0]}")
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # nothing leaves the process

SESSION_COOKIE_AGE = config.ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS = config.IDLE_SECONDS
SESSION_ABSOLUTE_SECONDS = config.ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    # Only behind a proxy that sets this header itself (and strips it from clients).
    if config.flag(_env, "SECURABLE_WEB_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads are product descriptions: the core refuses YAML over 1 MiB; the request cap sits just above.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# NIST's SP 800-53 Rev. 5 catalog (JSON): stands in for what an uploaded OSCAL profile imports.
SECURABLE_SP800_53_CATALOG = _env.get("SECURABLE_WEB_SP800_53_CATALOG", "")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = config.data_dir(_env) / "static"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
