"""Rendering domain messages in the reader's language.

Domain code hands over msgids (marked with :func:`responsibility.messages.N_`), :class:`Message`
values and :class:`DomainError` instances; this module translates them with the catalogue and
fills in the parameters (nested messages translated too). Templates use the ``message`` filter
(registered by :func:`init_messages`); views call :func:`message_text` / :func:`error_text`.
A text the catalogue does not know is shown as it is: data (names, numbers) passes through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext

from ..errors import DomainError
from ..messages import Message, message_from_json

__all__ = ["error_text", "init_messages", "message_text", "stored_message_text"]


def message_text(value: Message | str | None) -> str:
    """``value`` translated: a :class:`Message` with its parameters, a plain msgid as it is."""
    if value is None:
        return ""
    if isinstance(value, Message):
        params = {key: _param(item) for key, item in value.params.items()}
        translated = gettext(value.msgid)
        return translated % params if params else translated
    return gettext(str(value)) if value else ""


def _param(value: Any) -> Any:
    return message_text(value) if isinstance(value, Message) else value


def error_text(err: BaseException) -> str:
    """What the user reads for ``err``: a domain error's message translated (every reason of a
    rejected revision, joined), anything else as its ``str``."""
    reasons = getattr(err, "reasons", None)
    if isinstance(err, DomainError) and reasons:
        return join_messages(reasons)
    if isinstance(err, DomainError):
        return message_text(err.message)
    return str(err)


def join_messages(items: Iterable[Message | str]) -> str:
    """Several messages on one line, separated the way the reader's language does."""
    return gettext("; ").join(message_text(item) for item in items)


def stored_message_text(entry: Mapping[str, Any]) -> str:
    """A message kept in JSON (a batch job's ``errors``: ``message`` in English, and ``msgid`` with
    ``params`` when it came from a domain error) in the reader's language."""
    if isinstance(entry.get("msgid"), str) and entry["msgid"]:
        return message_text(message_from_json(entry))
    return message_text(entry.get("message"))


def init_messages(app: Flask) -> None:
    app.add_template_filter(message_text, "message")
    app.add_template_filter(stored_message_text, "stored_message")
