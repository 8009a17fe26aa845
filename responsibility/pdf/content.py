"""Everything one agreement shows, as plain frozen data: the input of rendering.

``agreements`` builds an ``AgreementContent`` from the database; rendering only reads it. The
same content and template always give the same PDF bytes, and ``AgreementContent.content_hash``
identifies the data snapshot (it also seeds the PDF's document /ID).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType
from typing import Any

from responsibility.canonical import canonical_json
from responsibility.pdf.clauses import applicable_clauses
from responsibility.pdf.errors import ContentError
from responsibility.pdf.template import AgreementTemplate, placeholders_in
from responsibility.pdf.vocabulary import TARGET_PREFIX

__all__ = [
    "AgreementContent",
    "AgreementParameters",
    "AppliedClause",
    "BuildingRow",
    "Parties",
    "GridRow",
    "PersonRef",
    "PostDutyRow",
    "SchoolFacts",
    "SignatureFieldSpec",
    "apply_clauses",
    "cn_date",
    "fill",
    "placeholder_values",
]


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class AgreementParameters:
    """What one campaign fixes for every school: county, season, dates, targets, numbering."""

    county: str
    bureau: str
    season: str
    """e.g. ``2025—2026年冬春季``."""
    term_start: date
    term_end: date
    signing_date: date
    due_date: date
    copies: int
    document_number: str
    """Unique per agreement, e.g. ``LCJT-2025DC-SCH001``; part of the verification URL."""
    verification_base_url: str
    """Public base URL of the app, e.g. ``https://anquan.example.gov.cn``."""
    created_at: datetime
    """The PDF's creation date (from the campaign, never the clock)."""
    targets: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Value of every ``{target.KEY}`` the template declares."""

    @property
    def verification_url(self) -> str:
        return f"{self.verification_base_url.rstrip('/')}/verify/{self.document_number}"


@dataclass(frozen=True)
class PersonRef:
    source_id: str
    name: str


@dataclass(frozen=True)
class BuildingRow:
    source_id: str
    name: str
    building_type: str
    floors: int
    fire_plan_no: str
    """一楼一案 number; empty when the building has none (shown as 未建立)."""
    grid_source_id: str = ""
    grid_name: str = ""


@dataclass(frozen=True)
class SchoolFacts:
    source_id: str
    name: str
    school_type: str
    """Glossary code (``kindergarten``, ``private``, …)."""
    type_label: str
    """Chinese label shown in the text (幼儿园, 民办学校, …)."""
    features: tuple[str, ...]
    students: int
    classes: int
    staff: int
    boarders: int
    buses: int
    principal: PersonRef | None
    party_head: PersonRef | None
    """Party secretary, or the party instructor at private schools."""
    party_head_is_instructor: bool = False
    safety_deputy: PersonRef | None = None
    campuses: tuple[str, ...] = ()

    @property
    def principal_title(self) -> str:
        return "园长" if self.school_type == "kindergarten" or "kindergarten" in self.features else "校长"

    @property
    def party_head_title(self) -> str:
        return "党建指导员" if self.party_head_is_instructor else "党组织书记"


@dataclass(frozen=True)
class AppliedClause:
    """A clause as this school's agreement shows it: placeholders already filled."""

    code: str
    risk_area: str
    text: str
    target: str


@dataclass(frozen=True)
class PostDutyRow:
    """One post assignment of Annex 1 (一岗双责: one business duty, one or more safety duties)."""

    assignment_source_id: str
    person: PersonRef
    post_code: str
    post_name: str
    business_duty: str
    safety_duties: tuple[str, ...]


@dataclass(frozen=True)
class GridRow:
    """One grid of Annex 2, in tree (depth-first) order."""

    source_id: str
    parent_source_id: str | None
    level: int
    name: str
    scope_type: str
    owner: PersonRef | None
    """None shows as 空缺 (vacant): an audit finding to fix, not a reason to withhold the agreement."""
    members: tuple[PersonRef, ...] = ()


@dataclass(frozen=True)
class SignatureFieldSpec:
    """An empty signature field the generator creates; exactly these and no other fields."""

    field_name: str
    role_codes: tuple[str, ...]
    label: str
    """Shown above the field and as its tooltip, e.g. ``党组书记、局长：龚伟``."""
    party: str
    """``bureau`` (甲方) or ``school`` (乙方): the column of the signature block."""
    person_source_id: str | None = None
    """Who is expected to sign (None for the bureau seal)."""


@dataclass(frozen=True)
class Parties:
    """The two persons of an agreement between persons of one unit (the bureau's internal
    agreements): 甲方 and 乙方 with their titles, 乙方's unit, and what 乙方 answers for."""

    party_a: PersonRef
    party_a_title: str
    party_b: PersonRef
    party_b_title: str
    party_b_unit: str
    """乙方's section, or the bureau itself for a leader."""
    scope: str
    """One line saying what 乙方 answers for (the leader's area, the section's schools…)."""


@dataclass(frozen=True)
class AgreementContent:
    parameters: AgreementParameters
    school: SchoolFacts
    """The unit of party B: the school, or the bureau for a bureau agreement."""
    clauses: tuple[AppliedClause, ...]
    posts: tuple[PostDutyRow, ...]
    grids: tuple[GridRow, ...]
    """Annex 2: the grid tree, or for a bureau agreement the tree of its responsibility scope
    (area or section → schools, each with the person answering for it)."""
    buildings: tuple[BuildingRow, ...]
    signature_fields: tuple[SignatureFieldSpec, ...]
    parties: Parties | None = None
    """Set for an agreement between two persons of the bureau; None for school and post agreements."""

    def problems(self) -> list[str]:
        """What this content lacks to make a valid agreement (empty list: nothing)."""
        found = []
        if self.parties is None and self.school.principal is None:
            found.append(f"no {self.school.principal_title} on file")
        if self.parties is None and self.school.party_head is None:
            found.append(f"no {self.school.party_head_title} on file")
        if not self.grids:
            found.append("no grids")
        if not self.posts:
            found.append("no post assignments")
        if not self.clauses:
            found.append("no clauses")
        names = [f.field_name for f in self.signature_fields]
        if len(set(names)) != len(names):
            found.append("duplicate signature field names")
        for party in ("bureau", "school"):
            if not any(f.party == party for f in self.signature_fields):
                found.append(f"no {party} signature field")
        return found

    def check(self) -> None:
        """Raise ``ContentError`` listing every problem, naming the school."""
        found = self.problems()
        if found:
            raise ContentError(f"{self.school.source_id} {self.school.name}", found)

    def responsibility_matrix(self) -> dict[str, Any]:
        """The machine-readable matrix embedded in the PDF: clauses, posts and their duties,
        grids and their owners, buildings and signers, all with source ids."""
        p, s = self.parameters, self.school
        owners: dict[str, list[str]] = {}
        for g in self.grids:
            if g.owner is not None:
                owners.setdefault(g.owner.source_id, []).append(g.source_id)
        matrix: dict[str, Any] = {
            "schema": "responsibility-matrix/1",
            "document_number": p.document_number,
            "verification_url": p.verification_url,
            "season": p.season,
            "term": {"start": p.term_start.isoformat(), "end": p.term_end.isoformat()},
            "party_a": p.bureau,
            "school": {"id": s.source_id, "name": s.name, "type": s.school_type, "features": sorted(s.features)},
            "clauses": [{"code": c.code, "risk_area": c.risk_area, "target": c.target} for c in self.clauses],
            "posts": [
                {
                    "assignment_id": r.assignment_source_id,
                    "person_id": r.person.source_id,
                    "person_name": r.person.name,
                    "post_code": r.post_code,
                    "post_name": r.post_name,
                    "business_duty": r.business_duty,
                    "safety_duties": list(r.safety_duties),
                }
                for r in self.posts
            ],
            "grids": [
                {
                    "grid_id": g.source_id,
                    "parent_id": g.parent_source_id,
                    "level": g.level,
                    "name": g.name,
                    "scope_type": g.scope_type,
                    "owner_person_id": g.owner.source_id if g.owner else None,
                    "member_person_ids": [m.source_id for m in g.members],
                }
                for g in self.grids
            ],
            "owners": {pid: gids for pid, gids in sorted(owners.items())},
            "buildings": [
                {
                    "building_id": b.source_id,
                    "name": b.name,
                    "fire_plan_no": b.fire_plan_no,
                    "grid_id": b.grid_source_id,
                }
                for b in self.buildings
            ],
            "signers": [
                {"field": f.field_name, "roles": list(f.role_codes), "person_id": f.person_source_id}
                for f in self.signature_fields
            ],
        }
        if self.parties is not None:
            q = self.parties
            matrix["parties"] = {
                "party_a": {"person_id": q.party_a.source_id, "name": q.party_a.name, "title": q.party_a_title},
                "party_b": {"person_id": q.party_b.source_id, "name": q.party_b.name, "title": q.party_b_title},
                "party_b_unit": q.party_b_unit,
                "scope": q.scope,
            }
        return matrix

    def matrix_json(self) -> bytes:
        """Canonical UTF-8 JSON of ``responsibility_matrix()`` (sorted keys, no spaces)."""
        return canonical_json(self.responsibility_matrix())

    @cached_property
    def content_hash(self) -> str:
        """Hex SHA-256 of the canonical JSON of the whole content (the data snapshot). Content
        without parties hashes as it did before parties existed (issued agreements stay fresh).
        Computed once per content (frozen, so it cannot change): generation and the stale check
        each read it two or three times, ≈ 3 ms each."""
        data = asdict(self)
        if data["parties"] is None:
            del data["parties"]
        return hashlib.sha256(canonical_json(data)).hexdigest()


def cn_date(value: date) -> str:
    """``2025年11月15日``."""
    return f"{value.year}年{value.month}月{value.day}日"


def placeholder_values(
    parameters: AgreementParameters,
    school: SchoolFacts,
    buildings: tuple[BuildingRow, ...] = (),
    parties: Parties | None = None,
) -> dict[str, str]:
    """The value of every placeholder for this school (or unit) and campaign; the party
    placeholders only when ``parties`` is given."""
    p, s = parameters, school
    values = {
        "county": p.county,
        "bureau": p.bureau,
        "season": p.season,
        "term_start": cn_date(p.term_start),
        "term_end": cn_date(p.term_end),
        "signing_date": cn_date(p.signing_date),
        "due_date": cn_date(p.due_date),
        "copies": str(p.copies),
        "document_number": p.document_number,
        "verification_url": p.verification_url,
        "school_name": s.name,
        "school_type_name": s.type_label,
        "principal_title": s.principal_title,
        "principal_name": s.principal.name if s.principal else "",
        "party_head_title": s.party_head_title,
        "party_head_name": s.party_head.name if s.party_head else "",
        "safety_deputy_name": s.safety_deputy.name if s.safety_deputy else "（待明确）",
        "students": str(s.students),
        "classes": str(s.classes),
        "staff": str(s.staff),
        "boarders": str(s.boarders),
        "buses": str(s.buses),
        "campus_count": str(len(s.campuses)),
        "campus_names": "、".join(s.campuses) or "未登记",
        "building_count": str(len(buildings)),
        "building_names": "、".join(b.name for b in buildings) or "未登记",
    }
    values.update({TARGET_PREFIX + k: str(v) for k, v in p.targets.items()})
    if parties is not None:
        values.update(
            {
                "party_a_name": parties.party_a.name,
                "party_a_title": parties.party_a_title,
                "party_b_name": parties.party_b.name,
                "party_b_title": parties.party_b_title,
                "party_b_unit": parties.party_b_unit,
                "responsibility_scope": parties.scope,
            }
        )
    return values


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every ``{name}`` of ``text``; a name without a value raises ``ContentError``."""
    missing = [n for n in placeholders_in(text) if n not in values]
    if missing:
        raise ContentError("agreement text", [f"no value for {{{n}}}" for n in dict.fromkeys(missing)])
    out = text
    for name in dict.fromkeys(placeholders_in(text)):
        out = out.replace("{" + name + "}", values[name])
    return out


def apply_clauses(
    template: AgreementTemplate,
    parameters: AgreementParameters,
    school: SchoolFacts,
    buildings: tuple[BuildingRow, ...] = (),
    parties: Parties | None = None,
) -> tuple[AppliedClause, ...]:
    """The school's applicable clauses with its own facts (and the campaign's targets) filled in.

    With ``parties`` (an agreement between persons, not with a school) the clauses without a
    condition apply: conditions speak of school types and features."""
    values = placeholder_values(parameters, school, buildings, parties)
    if parties is not None:
        chosen = [c for c in template.clauses if c.when is None and c.unless is None]
    else:
        chosen = applicable_clauses(template, school.school_type, school.features)
    return tuple(AppliedClause(c.code, c.risk_area, fill(c.text, values), fill(c.target, values)) for c in chosen)
