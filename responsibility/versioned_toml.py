"""Reading one versioned data file of the repository (``<root>/<version>.toml``): the targets,
the deduction rules, the accountability catalogue. A leaf: callers validate the content and raise
their own error, listing every problem at once."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["coded_entries", "read_versioned"]


def read_versioned(
    root: Path, version: str, error: Callable[[list[str]], Exception]
) -> tuple[dict[str, Any], str, list[str]]:
    """(the parsed file, its SHA-256, the problems found so far — a wrong ``version`` key).
    An unreadable or malformed file raises ``error([reason])``."""
    path = root / f"{version}.toml"
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise error([f"{path.name}: {exc}"]) from exc
    problems = []
    if data.get("version") != version:
        problems.append(f"{path.name}: version {data.get('version')!r} is not {version!r}")
    return data, hashlib.sha256(raw).hexdigest(), problems


def coded_entries(
    data: dict[str, Any],
    key: str,
    code: re.Pattern[str],
    problems: list[str],
    extra: Callable[[dict[str, Any]], str | None] | None = None,
) -> list[dict[str, Any]]:
    """The well-formed ``[[key]]`` tables of a catalogue: each with a ``code`` matching ``code``,
    a ``name`` and a ``name_en`` (and whatever ``extra`` asks: it returns a problem or None).
    Every malformed entry, every code used twice and an empty list add a problem."""
    out = []
    for i, raw in enumerate(data.get(key) or []):
        where = f"{key}[{i}]"
        if not isinstance(raw, dict) or not code.match(str(raw.get("code", ""))):
            problems.append(f"{where}: code missing or malformed")
        elif not str(raw.get("name", "")).strip() or not str(raw.get("name_en", "")).strip():
            problems.append(f"{where}: name and name_en are required")
        elif extra is not None and (problem := extra(raw)):
            problems.append(f"{where}: {problem}")
        else:
            out.append(raw)
    codes = [str(r["code"]) for r in out]
    problems.extend(f"{key}: code {c!r} twice" for c in sorted({c for c in codes if codes.count(c) > 1}))
    if not out:
        problems.append(f"no [[{key}]]")
    return out
