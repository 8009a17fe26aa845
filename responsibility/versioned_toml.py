"""Reading one versioned data file of the repository (``<root>/<version>.toml``): the targets,
the deduction rules, the accountability catalogue. A leaf: callers validate the content and raise
their own error, listing every problem at once."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["read_versioned"]


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
