"""Where a page may send the browser next: only paths on this site (no open redirects).

Shared by the login (``?next=`` after logging in) and the PIN enrolment (back to the agreement
being signed)."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["safe_next"]


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    Refuses absolute URLs, scheme-relative ``//host``, backslashes (browsers read ``/\\host`` as
    ``//host``) and control characters.
    """
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
