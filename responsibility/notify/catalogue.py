"""Render a catalogue msgid with its parameters in a language, without Flask.

Notifications are written by domain services (no request, no Flask-Babel) but their e-mail copy
must be in the default language; this reads the same ``messages.po`` the web uses (Babel's
reader, once per process and language), so one catalogue serves pages and mails.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import read_po

__all__ = ["DEFAULT_LOCALE", "TRANSLATIONS_DIR", "render"]

DEFAULT_LOCALE = "zh_CN"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


@functools.cache
def _messages(locale: str) -> dict[str, str]:
    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string}


def render(msgid: str, params: Mapping[str, object], locale: str = DEFAULT_LOCALE) -> str:
    """``msgid`` translated into ``locale`` (the msgid itself when untranslated), ``%``-formatted
    with ``params``; a translation that does not fit the parameters falls back to the msgid."""
    text = _messages(locale).get(msgid, msgid)
    try:
        return text % dict(params) if params else text
    except (KeyError, ValueError, TypeError):
        return msgid % dict(params) if params else msgid
