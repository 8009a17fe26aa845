"""The accountability catalogue (``accountability/<version>.toml``): the forms (问责方式) and the
degrees of responsibility (责任程度), loaded and checked whole (every problem listed at once)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..versioned_toml import read_versioned
from .errors import AccountabilityCatalogueError

__all__ = ["DEFAULT_ROOT", "DEFAULT_VERSION", "AccountabilityCatalogue", "Degree", "Form", "load_catalogue"]

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "accountability"
DEFAULT_VERSION = "2025-v1"
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class Form:
    code: str
    name: str
    name_en: str
    persons_only: bool = False


@dataclass(frozen=True)
class Degree:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class AccountabilityCatalogue:
    version: str
    forms: tuple[Form, ...]
    degrees: tuple[Degree, ...]

    def form(self, code: str) -> Form | None:
        return next((f for f in self.forms if f.code == code), None)

    def degree(self, code: str) -> Degree | None:
        return next((d for d in self.degrees if d.code == code), None)


def _entries(data: dict[str, Any], key: str, problems: list[str]) -> list[dict[str, Any]]:
    out = []
    for i, raw in enumerate(data.get(key) or []):
        where = f"{key}[{i}]"
        if not isinstance(raw, dict) or not _CODE_RE.match(str(raw.get("code", ""))):
            problems.append(f"{where}: code missing or not a lower-case code")
        elif not str(raw.get("name", "")).strip() or not str(raw.get("name_en", "")).strip():
            problems.append(f"{where}: name and name_en are required")
        else:
            out.append(raw)
    codes = [str(r["code"]) for r in out]
    problems.extend(f"{key}: code {c!r} twice" for c in sorted({c for c in codes if codes.count(c) > 1}))
    if not out:
        problems.append(f"no [[{key}]]")
    return out


def load_catalogue(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> AccountabilityCatalogue:
    data, _, problems = read_versioned(root, version, AccountabilityCatalogueError)
    forms = _entries(data, "forms", problems)
    degrees = _entries(data, "degrees", problems)
    if problems:
        raise AccountabilityCatalogueError(problems)
    return AccountabilityCatalogue(
        version=version,
        forms=tuple(Form(f["code"], f["name"], f["name_en"], bool(f.get("persons_only", False))) for f in forms),
        degrees=tuple(Degree(d["code"], d["name"], d["name_en"]) for d in degrees),
    )
