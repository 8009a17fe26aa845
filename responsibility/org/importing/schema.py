"""The import format's records as pydantic models: one definition gives the types, the coercion
and the error locations for the JSON file and the workbook alike (:mod:`.workbook` lays the
same records out as sheets).

Field names are the names the importer stores; aliases are the file's keys. :class:`Document`
is the whole file; :func:`.validation.validate_document` validates it and turns the first error
into one ``ImportRejected`` line.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ConfigDict, Field

from .fields import (
    Day,
    Feature,
    Flag,
    Ids,
    Int,
    LeftReason,
    Obj,
    OptDay,
    OptFlag,
    OptInt,
    OptText,
    Record,
    Role,
    SchoolType,
    Text,
    Texts,
    Topic,
)

__all__ = [
    "Agreement",
    "AgreementPeriod",
    "Building",
    "Bureau",
    "Campus",
    "Cascade",
    "Clause",
    "County",
    "Document",
    "DutyRoster",
    "FirePlan",
    "Grid",
    "GridOwnerPeriod",
    "Hazard",
    "HazardPlan",
    "HazardRecord",
    "HomeVisit",
    "Leader",
    "LiaisonAssignment",
    "Meta",
    "MetaPeriod",
    "Person",
    "PostAssignment",
    "PostType",
    "RiskArea",
    "School",
    "Seals",
    "Section",
    "Signature",
    "Signatures",
    "Town",
]


class MetaPeriod(Record):
    name: OptText = None
    start: OptDay = None
    end: OptDay = None


class Meta(Record):
    """Keys besides these are kept as they are (the whole block is stored with the county)."""

    model_config = ConfigDict(extra="allow")

    as_of: OptDay = None
    period: MetaPeriod = Field(default_factory=MetaPeriod)


class County(Record):
    name: Text
    province: OptText = None
    city: OptText = None
    bureau_source_id: Text = Field(alias="bureau_id")


class Section(Record):
    source_id: Text = Field(alias="id")
    name: Text
    business: OptText = None
    safety_duty: OptText = None
    chief: OptText = Field(None, alias="chief_person_id")
    staff: Ids = Field(default_factory=list, alias="staff_person_ids")


class Leader(Record):
    person: Text = Field(alias="person_id")
    name: OptText = Field(None, exclude=True)
    """The person's name, repeated for the reader (the 局领导 sheet); not stored."""
    post_code: Text
    post_title: Text = Field(alias="post")
    accountability_role: Role
    scope: OptText = None


class Bureau(Record):
    source_id: Text = Field(alias="id")
    name: Text
    party_org: OptText = None
    sections: list[Section] = Field(default_factory=list)
    leaders: list[Leader] = Field(default_factory=list)


class Town(Record):
    source_id: Text = Field(alias="id")
    name: Text
    note: OptText = None
    villages: Texts = Field(default_factory=list, alias="villages_or_communities")
    villages_fictional: Flag = Field(False, alias="village_names_fictional")


class RiskArea(Record):
    code: Text
    name: Text


class Clause(Record):
    code: Text
    risk_area_code: OptText = Field(None, alias="risk_area")
    applies_when: Topic
    clause: Text
    target: OptText = None


class PostType(Record):
    code: Text
    name: Text
    level: Text
    business_duty: OptText = None
    safety_duties: Texts = Field(default_factory=list)
    party_role: Flag = False
    admin_head: Flag = False


class Campus(Record):
    name: Text
    students: OptInt = None
    classes: OptInt = None


class FirePlan(Record):
    plan_no: OptText = None
    extinguishers: OptInt = None
    hydrants: OptInt = None
    emergency_lighting_ok: OptFlag = None
    evac_signs_ok: OptFlag = None
    last_monthly_check: OptDay = None


class Building(Record):
    source_id: Text = Field(alias="id")
    school: OptText = Field(None, alias="school_id")
    name: Text
    building_type: OptText = Field(None, alias="type")
    floors: OptInt = None
    dense_occupancy: OptFlag = None
    stairs: OptInt = None
    child_rooms_top_floor: OptInt = None
    note: OptText = None
    grid: OptText = Field(None, alias="grid_id")
    fire_plan: FirePlan | None = None


class School(Record):
    source_id: Text = Field(alias="id")
    name: Text
    school_type: SchoolType = Field(alias="type")
    subtype: OptText = None
    ownership: OptText = None
    town: OptText = Field(None, alias="town_id")
    direct_to_bureau: OptFlag = None
    stage: OptText = None
    students: OptInt = None
    classes: OptInt = None
    staff_count: OptInt = Field(None, alias="staff")
    boarders: OptInt = None
    school_buses: OptInt = None
    features: list[Feature] = Field(default_factory=list)
    party_org_type: OptText = None
    note: OptText = None
    campuses: list[Campus] = Field(default_factory=list)
    buildings: list[Building] = Field(default_factory=list)
    leadership: Obj = None
    """Derived from post assignments, not stored; its person references are still checked."""
    key_staff: Obj = None


class Person(Record):
    """A person with their dated service: ``joined_on`` / ``left_on`` (half-open, like a post's
    period) and ``left_reason``. ``active`` is the older bare flag: ``false`` without ``left_on``
    means "left, date not given" (out of service on every day); the planner refuses ``active:
    true`` together with ``left_on``, and a reason for someone who has not left."""

    source_id: Text = Field(alias="id")
    name: Text
    gender: OptText = None
    org: OptText = Field(None, alias="org_id")
    active: OptFlag = None
    joined_on: OptDay = None
    left_on: OptDay = None
    left_reason: LeftReason | None = None
    note: OptText = None


class PostAssignment(Record):
    """Duties: a key the file leaves out (or null) is None and inherits the catalogue post's;
    ``business_duty: ""`` and ``safety_duties: []`` are declared empty (a P1 gap, kept as such)."""

    declared_blank: ClassVar[frozenset[str]] = frozenset({"business_duty"})

    source_id: Text = Field(alias="id")
    org: Text = Field(alias="org_id")
    post_code: Text
    local_post_name: OptText = None
    person: Text = Field(alias="person_id")
    period_name: OptText = Field(None, alias="period")
    business_duty: OptText = None
    safety_duties: Texts | None = None
    note: OptText = None
    valid_from: OptDay = None
    valid_to: OptDay = None


class LiaisonAssignment(Record):
    school: Text = Field(alias="school_id")
    section: Text = Field(alias="section_id")
    liaison_person: OptText = Field(None, alias="liaison_person_id")
    bureau_leader: OptText = Field(None, alias="bureau_leader_person_id")
    period_name: OptText = Field(None, alias="period")
    valid_from: OptDay = None
    valid_to: OptDay = None


class Grid(Record):
    source_id: Text = Field(alias="id")
    school: Text = Field(alias="school_id")
    level: Int
    name: Text
    scope_type: Text
    parent: OptText = Field(None, alias="parent_id")
    owner: OptText = Field(None, alias="owner_person_id")
    owner_valid_from: OptDay = None
    members: Ids = Field(default_factory=list, alias="member_person_ids")


class GridOwnerPeriod(Record):
    grid: Text = Field(alias="grid_id")
    person: Text = Field(alias="person_id")
    valid_from: Day
    valid_to: Day


class HazardPlan(Record):
    measures: OptText = None
    temporary_measures: OptText = None
    funds_yuan: OptInt = None
    deadline: OptDay = None


class HazardRecord(Record):
    date: OptDay = None
    action: OptText = None
    by: OptText = None


class Hazard(Record):
    source_id: Text = Field(alias="id")
    file_no: OptText = None
    school: Text = Field(alias="school_id")
    grid: OptText = Field(None, alias="grid_id")
    risk_area_code: OptText = Field(None, alias="risk_area")
    level: Text
    source: OptText = None
    found_date: OptDay = None
    description: OptText = None
    plan: HazardPlan = Field(default_factory=HazardPlan)
    responsible: OptText = Field(None, alias="responsible_person_id")
    status: Text
    verified_by: OptText = Field(None, alias="verified_by_person_id")
    closed_date: OptDay = None
    listed_for_supervision: Flag = False
    records: list[HazardRecord] = Field(default_factory=list)


class DutyRoster(Record):
    org: Text = Field(alias="org_id")
    date: Day
    shift: Text
    leader: OptText = Field(None, alias="leader_on_duty_person_id")
    staff: Ids = Field(default_factory=list, alias="staff_on_duty_person_ids")
    key_posts: Obj = None


class HomeVisit(Record):
    school: Text = Field(alias="school_id")
    period_name: Text = Field(alias="period")
    planned: Int = Field(alias="key_students_planned")
    visited: Int = Field(alias="key_students_visited")
    categories: Texts = Field(default_factory=list)
    content: Texts = Field(default_factory=list)


class AgreementPeriod(Record):
    name: OptText = None
    start: OptDay = None
    end: OptDay = None


class Seals(Record):
    party_a: Flag = False
    party_b: Flag = False


class Cascade(Record):
    staff_total: OptInt = None
    staff_signed: OptInt = None


class Signature(Record):
    role: Text
    person: OptText = Field(None, alias="person_id")
    date: OptDay = None
    note: OptText = None


class Signatures(Record):
    party_a: list[Signature] = Field(default_factory=list)
    party_b: list[Signature] = Field(default_factory=list)


class Agreement(Record):
    source_id: Text = Field(alias="id")
    title: Text
    template_version: OptText = None
    period: AgreementPeriod = Field(default_factory=AgreementPeriod)
    party_a: OptText = None
    school: Text = Field(alias="party_b_school_id")
    items: Ids = Field(default_factory=list)
    copies: OptInt = None
    status: Text
    seals: Seals = Field(default_factory=Seals)
    cascade: Cascade = Field(default_factory=Cascade)
    remark: OptText = None
    signatures: Signatures = Field(default_factory=Signatures)


class Document(Record):
    """A whole import file, in the order the importer checks and writes it."""

    meta: Meta = Field(default_factory=Meta)
    county: County
    assessment_scheme: Obj = None
    bureau: Bureau
    risk_areas: list[RiskArea] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list, alias="responsibility_item_templates")
    post_types: list[PostType] = Field(default_factory=list, alias="post_catalog")
    towns: list[Town] = Field(default_factory=list)
    schools: list[School]
    persons: list[Person]
    post_assignments: list[PostAssignment]
    liaison_assignments: list[LiaisonAssignment] = Field(default_factory=list)
    grids: list[Grid]
    grid_owner_history: list[GridOwnerPeriod] = Field(default_factory=list)
    hazards: list[Hazard] = Field(default_factory=list)
    duty_rosters: list[DutyRoster] = Field(default_factory=list)
    home_visits: list[HomeVisit] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
