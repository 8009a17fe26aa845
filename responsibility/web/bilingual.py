"""Stopgap: show one language of a domain message written inline as ``中文 (English)``.

The hazards and inspections packages raise errors whose text carries both languages, the
Chinese first and the English in a trailing parenthesis. Until the project-wide mechanism for
domain messages (a msgid and its parameters, rendered through the catalogue by the web layer)
replaces those strings, the web layer shows the reader only their part: the Chinese in ``zh*``
locales, the English otherwise. Text that is not of that shape is returned unchanged.
"""

from __future__ import annotations

import re

from flask_babel import get_locale

__all__ = ["in_reader_language", "one_language"]

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _split(text: str) -> tuple[str, str] | None:
    """``(chinese, english)`` when ``text`` ends in a balanced ``(…)`` that follows a space and a
    Chinese head; ``None`` otherwise."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                head, tail = text[:i], text[i + 1 : -1]
                if head.endswith(" ") and _CJK.search(head) and tail.strip():
                    return head.strip(), tail.strip()
                return None
    return None


def one_language(text: str, locale: str) -> str:
    """The part of a ``中文 (English)`` message for ``locale`` (``zh…``: the Chinese)."""
    parts = _split(text)
    if parts is None:
        return text
    return parts[0] if locale.lower().startswith("zh") else parts[1]


def in_reader_language(text: str) -> str:
    """:func:`one_language` for the current request's locale."""
    return one_language(text, str(get_locale() or "zh_CN"))
