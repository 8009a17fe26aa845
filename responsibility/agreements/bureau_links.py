"""Which internal agreements the bureau signs in a campaign (局内部安全责任书): the composition.

The bureau side of the chain is bound by three tiers of two-person agreements, all read from the
imported data on the campaign's day (no name is written here):

1. ``leader`` (包片): the chief (the 局长 who countersigns the school agreements) with every other
   bureau leader (``BureauLeader`` rows: the deputy in charge of safety, 分管领导具体抓, and each
   other leader, 班子成员包片, 督导…) who holds a bureau post that day; the agreement names the
   schools whose liaison assignment names that leader;
2. ``section``: each bureau leader with the chief of every section whose schools they oversee
   (liaison assignments valid that day naming both the leader and the section); it names those
   schools;
3. ``liaison`` (股室联校包抓): each section chief with each liaison person (包抓责任人) of the
   section's schools; it names the schools that person answers for.

One agreement per (tier, superior, holder); a person never signs with themselves (a leader who is
the chief, a section chief who is their own school's liaison). What each agreement binds in the
chain (:attr:`BureauLink.bindings`, chain role → school): the leader tier binds the bureau-leader
link of its schools (and the deputy-in-charge link, for the deputy); the section tier the
section-chief link of its schools, and the liaison link where the section chief is the liaison
themself; the liaison tier the liaison link of its schools.

Pure functions over plain facts (:func:`compose_bureau_links`), so the rule is unit-tested
without a database; :mod:`.bureau_facts` reads the facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..pdf.content import PersonRef

__all__ = [
    "DEPUTY_ROLE",
    "OVERALL_ROLE",
    "TIERS",
    "BureauLink",
    "LeaderFact",
    "LiaisonFact",
    "UnitRef",
    "compose_bureau_links",
]

TIER_LEADER, TIER_SECTION, TIER_LIAISON = "leader", "section", "liaison"
TIERS = (TIER_LEADER, TIER_SECTION, TIER_LIAISON)
OVERALL_ROLE = "overall_responsibility"
DEPUTY_ROLE = "deputy_in_charge"

# Chain roles (``chain.subjects.Role`` values) a bureau agreement binds.
BIND_BUREAU_LEADER = "bureau_leader"
BIND_DEPUTY = "deputy_in_charge"
BIND_SECTION_CHIEF = "section_chief"
BIND_LIAISON = "liaison"


@dataclass(frozen=True)
class UnitRef:
    """A school or a section by the import's source id and name."""

    source_id: str
    name: str


@dataclass(frozen=True)
class LeaderFact:
    """A bureau leader holding a bureau post on the day, with the imported role and scope."""

    person: PersonRef
    role: str
    """``BureauLeader.accountability_role`` (a code name: ``deputy_in_charge``, ``leader_area``…)."""
    title: str
    scope: str


@dataclass(frozen=True)
class LiaisonFact:
    """One liaison assignment valid on the day, with the section's chief that day."""

    school: UnitRef
    section: UnitRef
    section_chief: PersonRef | None
    liaison: PersonRef | None
    leader: PersonRef | None


@dataclass(frozen=True)
class BureauLink:
    """One internal agreement to issue: superior (甲方) and holder (乙方) and what it covers."""

    tier: str
    superior: PersonRef
    holder: PersonRef
    schools: tuple[LiaisonFact, ...]
    """The liaison assignments the holder answers for through this agreement, by school id."""
    leader: LeaderFact | None = None
    """The holder's leader facts (leader tier only)."""
    bindings: tuple[tuple[str, str | None], ...] = ()
    """(chain role, school source id or None) pairs the agreement binds in the trace."""

    @property
    def sections(self) -> tuple[UnitRef, ...]:
        return tuple(dict.fromkeys(f.section for f in self.schools))


def _same(a: PersonRef | None, b: PersonRef | None) -> bool:
    return a is not None and b is not None and a.source_id == b.source_id


def _by_school(facts: list[LiaisonFact]) -> tuple[LiaisonFact, ...]:
    return tuple(sorted(facts, key=lambda f: f.school.source_id))


def _leader_links(chief: PersonRef, leaders: list[LeaderFact], liaisons: list[LiaisonFact]) -> list[BureauLink]:
    out = []
    for leader in leaders:
        if leader.role == OVERALL_ROLE or _same(leader.person, chief):
            continue
        schools = _by_school([f for f in liaisons if _same(f.leader, leader.person)])
        bindings: list[tuple[str, str | None]] = [(BIND_BUREAU_LEADER, f.school.source_id) for f in schools]
        if leader.role == DEPUTY_ROLE:
            bindings.insert(0, (BIND_DEPUTY, None))
        out.append(BureauLink(TIER_LEADER, chief, leader.person, schools, leader, tuple(bindings)))
    return out


def _grouped(
    liaisons: list[LiaisonFact], superior_of: str, holder_of: str
) -> dict[tuple[str, str], tuple[PersonRef, PersonRef, list[LiaisonFact]]]:
    groups: dict[tuple[str, str], tuple[PersonRef, PersonRef, list[LiaisonFact]]] = {}
    for fact in liaisons:
        superior, holder = getattr(fact, superior_of), getattr(fact, holder_of)
        if superior is None or holder is None or _same(superior, holder):
            continue
        groups.setdefault((superior.source_id, holder.source_id), (superior, holder, []))[2].append(fact)
    return groups


def _section_links(liaisons: list[LiaisonFact]) -> list[BureauLink]:
    out = []
    for superior, holder, facts in _grouped(liaisons, "leader", "section_chief").values():
        schools = _by_school(facts)
        bindings: list[tuple[str, str | None]] = [(BIND_SECTION_CHIEF, f.school.source_id) for f in schools]
        bindings += [(BIND_LIAISON, f.school.source_id) for f in schools if _same(f.liaison, f.section_chief)]
        out.append(BureauLink(TIER_SECTION, superior, holder, schools, None, tuple(bindings)))
    return out


def _liaison_links(liaisons: list[LiaisonFact]) -> list[BureauLink]:
    out = []
    for superior, holder, facts in _grouped(liaisons, "section_chief", "liaison").values():
        schools = _by_school(facts)
        bindings = tuple((BIND_LIAISON, f.school.source_id) for f in schools)
        out.append(BureauLink(TIER_LIAISON, superior, holder, schools, None, bindings))
    return out


def compose_bureau_links(chief: PersonRef, leaders: list[LeaderFact], liaisons: list[LiaisonFact]) -> list[BureauLink]:
    """The bureau's internal agreements by the rule of the module doc, in a stable order:
    the leader tier in the leaders' order, then the section and liaison tiers by (superior,
    holder) source ids."""
    ordered = sorted(liaisons, key=lambda f: f.school.source_id)

    def key(link: BureauLink) -> tuple[str, str]:
        return (link.superior.source_id, link.holder.source_id)

    return [
        *_leader_links(chief, leaders, ordered),
        *sorted(_section_links(ordered), key=key),
        *sorted(_liaison_links(ordered), key=key),
    ]
