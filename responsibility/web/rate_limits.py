"""Rate limits of the PIN-guarded POSTs (issue 15, item 1): the sign and enrol forms.

The wrong-PIN lock bounds guesses per signer; these limits bound how fast one account from one
address may try at all (``SIGN_RATE_LIMIT``, ``ENROL_RATE_LIMIT``; Flask-Limiter syntax, default
"10 per minute"). The key is the account and the client address together, so colleagues behind
one school's NAT do not share a budget and one stolen session cannot spread its tries over
addresses unnoticed.
"""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

__all__ = ["enrol_rate_limit", "sign_rate_limit", "user_and_address"]

DEFAULT_LIMIT = "10 per minute"


def user_and_address() -> str:
    """The limiter key: ``<account id>@<client address>`` (``anonymous@…`` before login)."""
    who = current_user.get_id() if current_user.is_authenticated else "anonymous"
    return f"{who}@{get_remote_address()}"


def sign_rate_limit() -> str:
    return str(current_app.config.get("SIGN_RATE_LIMIT") or DEFAULT_LIMIT)


def enrol_rate_limit() -> str:
    return str(current_app.config.get("ENROL_RATE_LIMIT") or DEFAULT_LIMIT)
