"""Messages that reach users, as data: a msgid (English) and its parameters, rendered later.

Domain code never imports Flask, so it cannot translate. It marks each user-visible text with
:func:`N_` (``pybabel extract`` finds ``N_`` by default) and hands the msgid on, alone or as a
:class:`Message` with named parameters; errors carry theirs (:class:`responsibility.errors.DomainError`).
The web layer renders them in the reader's language (``web/messages.py``: gettext, then the
parameters); the command line and logs read ``str(message)``: the English text with the
parameters filled in. A parameter may itself be a :class:`Message` (a label such as a state's
name), rendered the same way. This module is a leaf: it imports nothing of the project.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Message", "N_", "english", "message_from_json", "message_json", "msg"]


def N_(text: str) -> str:  # the conventional name of a marked-only msgid
    """Mark ``text`` for extraction without translating it here; returns it unchanged."""
    return text


class Message(str):
    """A msgid with named ``%(name)s`` parameters. It *is* its English text (a ``str``), so code
    that joins, compares, searches or serialises messages keeps working; ``msgid`` and
    ``params`` let the web layer render it in the reader's language."""

    __slots__ = ("msgid", "params")
    msgid: str
    params: Mapping[str, Any]

    def __new__(cls, msgid: str, params: Mapping[str, Any] | None = None) -> Message:
        params = dict(params or {})
        self = super().__new__(cls, english(msgid, params))
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickled into background jobs with its parameters
        return (Message, (self.msgid, dict(self.params)))

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {dict(self.params)!r})"


def msg(msgid: str, /, **params: Any) -> Message:
    """``msg(N_("the file is larger than %(limit)s bytes"), limit=n)``: a :class:`Message`."""
    return Message(msgid, params)


def message_json(message: Message) -> dict[str, Any]:
    """``{"msgid", "params"}`` for storing ``message`` in a JSON column (a batch job's errors);
    nested messages nest, other parameters become text. :func:`message_from_json` reverses it."""
    params = {
        key: message_json(value)
        if isinstance(value, Message)
        else value
        if isinstance(value, int | float)
        else str(value)
        for key, value in message.params.items()
    }
    return {"msgid": message.msgid, "params": params}


def message_from_json(data: Mapping[str, Any]) -> Message:
    """The :class:`Message` :func:`message_json` stored."""
    params = {
        key: message_from_json(value) if isinstance(value, Mapping) and "msgid" in value else value
        for key, value in (data.get("params") or {}).items()
    }
    return Message(str(data["msgid"]), params)


def english(msgid: str, params: Mapping[str, Any]) -> str:
    """``msgid`` with ``params`` filled in (nested messages as their English text)."""
    if not params:
        return msgid
    return msgid % dict(params)
