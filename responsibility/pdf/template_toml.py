"""The checks every small PDF template (confirmation, work documents) makes of its one TOML file.

A template is one ``<name>.toml`` under ``pdf_templates/<kind>/<version>/``: some required texts,
some lists of texts, some ``[label, text]`` pairs, and placeholders that must be known. Each
loader collects *every* problem before it raises :class:`TemplateError`, so the author of a
template sees them all at once; these helpers are the shared parts of that collection.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from responsibility.pdf.errors import TemplateError
from responsibility.pdf.template import placeholders_in

__all__ = [
    "is_text_list",
    "missing_texts",
    "read_template_toml",
    "text_pairs",
    "unknown_placeholders",
]


def read_template_toml(directory: Path, filename: str, version: str) -> dict[str, Any]:
    """``directory/filename`` parsed; a missing or malformed file is a :class:`TemplateError`."""
    try:
        return tomllib.loads((directory / filename).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(version, [f"no {filename} in {directory}"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(version, [f"{filename} is not valid TOML: {exc}"]) from None


def is_text_list(value: Any, *, allow_empty: bool = True) -> bool:
    """Whether ``value`` is a list of strings (and, unless ``allow_empty``, not an empty one)."""
    return isinstance(value, list) and (allow_empty or bool(value)) and all(isinstance(v, str) for v in value)


def missing_texts(doc: Mapping[str, Any], keys: Iterable[str]) -> list[str]:
    """One problem per key whose value is not a non-empty string."""
    return [f"missing text {key!r}" for key in keys if not isinstance(doc.get(key), str) or not doc[key]]


def text_pairs(value: Any, problems: list[str], *, allow_empty: bool = True) -> list[list[str]]:
    """``value`` if it is a list of ``[label, text]`` pairs; else a problem and no pairs."""
    if isinstance(value, list) and (allow_empty or value) and all(is_text_list(row) and len(row) == 2 for row in value):
        return value
    problems.append("'facts' must be a list of [label, text] pairs")
    return []


def unknown_placeholders(texts: Iterable[Any], allowed: frozenset[str] | set[str]) -> list[str]:
    """One problem per placeholder in ``texts`` that is not ``allowed``."""
    return [f"unknown placeholder {{{n}}}" for text in texts for n in placeholders_in(str(text)) if n not in allowed]
