"""Configuration: defaults < ``instance/config.py`` < ``RESPONSIBILITY_*`` environment variables.

``DATABASE_URL`` and ``REDIS_URL`` are read without prefix because that is how hosting platforms
and CI provide them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic_files import write_atomic

ENV_PREFIX = "RESPONSIBILITY_"
INSTANCE_ENV = "RESPONSIBILITY_INSTANCE_PATH"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Built-in defaults; every key may be overridden by the instance config or environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite inside the instance folder
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    REDIS_URL: str | None = None

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10 per minute"
    SIGN_RATE_LIMIT = "10 per minute"  # POST /sign/<id> and the batch countersignature, per account+address
    ENROL_RATE_LIMIT = "10 per minute"  # POST /pki/enrol, per account+address

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # upload limit for every request
    IMPORT_MAX_BYTES = 50 * 1024 * 1024  # refuse larger import files before parsing
    ACTIVATION_TOKEN_HOURS = 72

    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    DEMO_PASSWORD = "demo-2025-lanchuan"  # noqa: S105 - documented demo login, demo data only

    # PKI and signing keys (README "PKI and keys"); PKI_SECRET unset = the file instance/pki/secret.
    PKI_SECRET: str | None = None
    PKI_COUNTY_NAME: str | None = None
    PKI_BUREAU_NAME: str | None = None
    PIN_MIN_DIGITS = 6
    SIGNING_KEY_KIND = "ecdsa-p256"
    SIGNING_GRACE_DAYS = 0  # days after a campaign's term on which its agreements may still be signed
    LIVE_REPORT_SCHOOLS = 2000  # above this many schools the gap report and season board pages read stored ones
    TSA_URL: str | None = None  # unset: the app's own TSA, in-process
    TSA_TIMEOUT = 10
    EXTERNAL_TRUST_ROOTS: list[str] = []  # PEM files of external CAs for bring-your-own PKCS#12

    # Escalation of overdue signatures and notification mail (README "Accountability chain").
    ESCALATION_DAYS = 3  # days after raising to the liaison section before the bureau leader
    SMTP_HOST: str | None = None  # unset: in-app notifications only, no e-mail
    SMTP_PORT = 25
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_STARTTLS = False
    MAIL_FROM = "noreply@localhost"


def instance_path_from_env(default: Path | None = None) -> Path:
    """The instance folder: ``RESPONSIBILITY_INSTANCE_PATH`` or ``<project>/instance``."""
    value = os.environ.get(INSTANCE_ENV)
    return Path(value).resolve() if value else (default or PROJECT_ROOT / "instance")


def apply_environment(config: Any) -> None:
    """Override ``config`` (a ``flask.Config``; not imported, so that workers may read this module
    without Flask) from the environment: ``RESPONSIBILITY_X`` sets ``X`` (values that parse
    as JSON are decoded: numbers, bools, lists) through Flask's ``Config.from_prefixed_env``, then
    ``DATABASE_URL`` and ``REDIS_URL`` unprefixed (:func:`platform_env`).
    ``RESPONSIBILITY_INSTANCE_PATH`` chooses the folder and is no setting."""
    had_instance_key = "INSTANCE_PATH" in config
    config.from_prefixed_env(ENV_PREFIX.rstrip("_"))
    if INSTANCE_ENV in os.environ and not had_instance_key:
        config.pop("INSTANCE_PATH", None)
    config.update(platform_env())


def platform_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``DATABASE_URL`` (as ``SQLALCHEMY_DATABASE_URI``) and ``REDIS_URL``, as hosting platforms
    and CI provide them."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    if environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    if environ.get("REDIS_URL"):
        found["REDIS_URL"] = environ["REDIS_URL"]
    return found


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common ``postgres(ql)://`` form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'responsibility.sqlite3'}"


CONFIG_TEMPLATE = '''"""Instance configuration of responsibility (never committed).

Created by `flask init`. Settings here override the defaults in responsibility/config.py;
RESPONSIBILITY_* environment variables override these.
"""

SECRET_KEY = {secret_key!r}

# DATABASE_URL in the environment wins over this; default: SQLite in this folder.
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:5432/responsibility"

# Public address used in QR codes and links on generated agreements.
PUBLIC_BASE_URL = "http://127.0.0.1:5000"

# Cookies are marked Secure by default; the development server speaks plain HTTP.
SESSION_COOKIE_SECURE = {secure!r}
REMEMBER_COOKIE_SECURE = {secure!r}
'''


def write_instance_config(instance_path: Path, *, secure_cookies: bool = False) -> bool:
    """Create ``config.py`` with a random secret key unless it exists; True when created."""
    instance_path.mkdir(parents=True, exist_ok=True)
    target = instance_path / "config.py"
    if target.exists():
        return False
    text = CONFIG_TEMPLATE.format(secret_key=secrets.token_urlsafe(48), secure=secure_cookies)
    write_atomic(target, text.encode("utf-8"), mode=0o600)
    return True
