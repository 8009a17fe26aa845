"""The accountability catalogue (``accountability/<version>.toml``): the forms (问责方式) and the
degrees of responsibility (责任程度), loaded and checked whole (every problem listed at once)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..versioned_toml import coded_entries, read_versioned
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


def load_catalogue(version: str = DEFAULT_VERSION, root: Path = DEFAULT_ROOT) -> AccountabilityCatalogue:
    """The catalogue of ``version``; :class:`AccountabilityCatalogueError` lists every problem."""
    data, _, problems = read_versioned(root, version, AccountabilityCatalogueError)
    forms = coded_entries(data, "forms", _CODE_RE, problems)
    degrees = coded_entries(data, "degrees", _CODE_RE, problems)
    if problems:
        raise AccountabilityCatalogueError(problems)
    return AccountabilityCatalogue(
        version=version,
        forms=tuple(Form(f["code"], f["name"], f["name_en"], bool(f.get("persons_only", False))) for f in forms),
        degrees=tuple(Degree(d["code"], d["name"], d["name_en"]) for d in degrees),
    )
