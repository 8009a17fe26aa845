"""Arrange the rows of the one chain statement into ordered links, and name the gaps.

Pure Python over the rows ``query.chain_at`` fetched: no database access here, which is what
keeps a trace at exactly one statement. Kept apart from the SQL so each file has one job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .sql import SCHOOL_SCOPE
from .subjects import ROLE_OF_POST, ROLE_RANK, ChainLink, ChainSubject, Gap, Role

__all__ = ["assemble"]

Rows = Mapping[str, Sequence[Any]]


@dataclass(frozen=True)
class Holder:
    """A person holding something on the day, as fetched."""

    person_id: int
    source_id: str
    name: str
    active: bool
    """In service on the day of the trace (``Person.in_service_on``), not "has never left"."""
    org_id: int | None
    post_code: str | None = None
    post_name: str | None = None


def _holder(row: Any | None) -> Holder | None:
    if row is None or row["person_id"] is None:
        return None
    return Holder(
        person_id=row["person_id"],
        source_id=row["person_sid"],
        name=row["person_name"],
        active=bool(row["person_active"]),
        org_id=row["person_org_id"],
        post_code=row["post_code"],
        post_name=row["post_name"],
    )


def _latest(rows: Iterable[Any]) -> Any | None:
    """Of several rows valid on the same day (overlapping periods), the most recently started."""
    ranked = sorted(rows, key=lambda r: (r["valid_from"] is not None, r["valid_from"] or 0, r["person_sid"] or ""))
    return ranked[-1] if ranked else None


def _gap(holder: Holder | None, expected_org: int | None, misfit: Gap) -> Gap | None:
    if holder is None:
        return Gap.VACANT
    if not holder.active:
        return Gap.INACTIVE
    if expected_org is not None and holder.org_id != expected_org:
        return misfit
    return None


class Assembler:
    """Indexes the fetched rows once, then builds the segments of the chain from them."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.orgs = {r["org_id"]: r for r in rows.get("org", ())}
        self.posts: dict[tuple[int, str], list[Any]] = {}
        for r in rows.get("post", ()):
            self.posts.setdefault((r["org_id"], r["post_code"]), []).append(r)
        self.liaisons: dict[int, list[Any]] = {}
        for r in rows.get("liaison", ()):
            self.liaisons.setdefault(r["org_id"], []).append(r)
        self.leaders: dict[int, list[Any]] = {}
        for r in rows.get("bureau_leader", ()):
            self.leaders.setdefault(r["org_id"], []).append(r)
        self.catalogue = {r["post_code"]: r["post_name"] for r in rows.get("post_type", ())}
        bureau_rows = rows.get("bureau", ())
        self.bureau_id: int | None = bureau_rows[0]["org_id"] if bureau_rows else None
        self.bureau_sid: str | None = bureau_rows[0]["org_sid"] if bureau_rows else None
        self.bureau_posts = {code: [r for r in bureau_rows if r["post_code"] == code] for code in ("B01", "B02")}

    # -- helpers ---------------------------------------------------------------------------

    def org_sid(self, org_id: int | None) -> str | None:
        row = self.orgs.get(org_id)
        return row["org_sid"] if row else None

    def post_holder(self, org_id: int, code: str) -> Holder | None:
        return _holder(_latest(self.posts.get((org_id, code), ())))

    def link(
        self, role: Role, holder: Holder | None, gap: Gap | None, *, org_sid: str | None, code: str | None = None
    ) -> ChainLink:
        post_code = holder.post_code if holder and holder.post_code else code
        post_name = holder.post_name if holder and holder.post_name else self.catalogue.get(post_code or "")
        return ChainLink(
            role=role.value,
            person_id=holder.source_id if holder else None,
            person_name=holder.name if holder else None,
            post_code=post_code,
            post_name=post_name,
            org_source_id=org_sid,
            grid_source_id=None,
            level=None,
            gap=gap.value if gap else None,
        )

    # -- segments --------------------------------------------------------------------------

    def grid_links(self) -> tuple[list[ChainLink], list[int]]:
        """Grid-owner links, deepest first (by the tree, not the level column), no repeats; and
        the schools they belong to, in order of appearance."""
        grids: dict[int, list[Any]] = {}
        for r in self.rows.get("grid", ()):
            grids.setdefault(r["grid_id"], []).append(r)
        info = {gid: rs[0] for gid, rs in grids.items()}

        def depth(gid: int) -> int:
            seen, d = {gid}, 0
            parent = info[gid]["parent_id"]
            while parent in info and parent not in seen:
                seen.add(parent)
                d += 1
                parent = info[parent]["parent_id"]
            return d

        links: list[ChainLink] = []
        schools: list[int] = []
        for gid in sorted(info, key=lambda gid: (-depth(gid), info[gid]["grid_sid"])):
            g = info[gid]
            holder = _holder(_latest(r for r in grids[gid] if r["person_id"] is not None))
            gap = _gap(holder, g["org_id"], Gap.NOT_IN_SCHOOL)
            parent = info.get(g["parent_id"])
            links.append(
                ChainLink(
                    role=Role.GRID_OWNER.value,
                    person_id=holder.source_id if holder else None,
                    person_name=holder.name if holder else None,
                    post_code=None,
                    post_name=None,
                    org_source_id=g["org_sid"],
                    grid_source_id=g["grid_sid"],
                    level=g["level"],
                    gap=gap.value if gap else None,
                    parent_grid_source_id=parent["grid_sid"] if parent else None,
                    grid_name=g["grid_name"],
                )
            )
            if g["org_id"] not in schools:
                schools.append(g["org_id"])
        # Every climb must end at its school's grid; a top that is not one is a broken tree.
        tops = [g for g in info.values() if g["parent_id"] not in info]
        broken = [g for g in tops if g["parent_id"] is not None or g["grid_id"] != self.school_grid(g["org_id"])]
        if broken or (info and not tops):
            where = broken[0] if broken else next(iter(info.values()))
            school_sid = where["org_sid"] if where["org_id"] in self.orgs else links[0].org_source_id
            links.append(replace(self.no_grid_link(None, Gap.BROKEN_TREE), org_source_id=school_sid))
        return links, schools

    def school_grid(self, school_id: int) -> int | None:
        """The school's level-1 grid among its roots (see ``sql.school_grid_order``)."""
        roots = [r for r in self.rows.get("root", ()) if r["org_id"] == school_id and r["level"] == 1]
        roots.sort(key=lambda r: (r["extra"] != SCHOOL_SCOPE, r["grid_sid"]))
        return roots[0]["grid_id"] if roots else None

    def no_grid_link(self, school_id: int | None, gap: Gap) -> ChainLink:
        return ChainLink(
            role=Role.GRID_OWNER.value,
            person_id=None,
            person_name=None,
            post_code=None,
            post_name=None,
            org_source_id=self.org_sid(school_id),
            grid_source_id=None,
            level=1 if gap is Gap.BROKEN_TREE else None,
            gap=gap.value,
        )

    def school_links(self, school_id: int) -> list[ChainLink]:
        """Safety deputy, principal, party head (secretary or, at private schools, instructor)."""
        sid = self.org_sid(school_id)
        deputy = self.post_holder(school_id, "S03")
        principal = self.post_holder(school_id, "S01")
        org = self.orgs.get(school_id)
        expected = "S24" if org is not None and org["extra"] == "instructor" else "S02"
        party_code = expected
        party = self.post_holder(school_id, expected)
        if party is None:
            other = "S02" if expected == "S24" else "S24"
            party = self.post_holder(school_id, other)
            party_code = other if party else expected
        party_role = Role.PARTY_INSTRUCTOR if party_code == "S24" else Role.SCHOOL_PARTY_SECRETARY
        # A party instructor comes from outside the school by design: no membership check.
        party_org = None if party_code == "S24" else school_id
        return [
            self.link(Role.SAFETY_DEPUTY, deputy, _gap(deputy, school_id, Gap.NOT_IN_SCHOOL), org_sid=sid, code="S03"),
            self.link(
                Role.PRINCIPAL, principal, _gap(principal, school_id, Gap.NOT_IN_SCHOOL), org_sid=sid, code="S01"
            ),
            self.link(party_role, party, _gap(party, party_org, Gap.NOT_IN_SCHOOL), org_sid=sid, code=party_code),
        ]

    def liaison_links(self, school_id: int) -> list[ChainLink]:
        """Liaison person, section chief, the school's bureau leader (from the liaison on the day)."""
        row = _latest(self.liaisons.get(school_id, ()))
        if row is None:
            return [
                self.link(role, None, Gap.NO_LIAISON, org_sid=self.org_sid(school_id))
                for role in (Role.LIAISON, Role.SECTION_CHIEF, Role.BUREAU_LEADER)
            ]
        section_id = row["ref_id"]
        liaison = _holder(row)
        liaison_gap = _gap(liaison, None, Gap.NOT_IN_SECTION)
        if liaison_gap is None and not row["flag"]:
            liaison_gap = Gap.NOT_IN_SECTION
        leader_rows = [r for r in self.leaders.get(school_id, ()) if r["valid_from"] == row["valid_from"]]
        leader_row = min(leader_rows, key=lambda r: r["post_code"] or "~", default=None)
        leader = _holder(leader_row) if leader_row is not None else None
        return [
            self.link(Role.LIAISON, liaison, liaison_gap, org_sid=self.org_sid(section_id)),
            *self.section_links(section_id),
            self.link(
                Role.BUREAU_LEADER,
                leader,
                _gap(leader, self.bureau_id, Gap.NOT_IN_BUREAU),
                org_sid=self.bureau_sid,
            ),
        ]

    def section_links(self, section_id: int) -> list[ChainLink]:
        """The section chief: the B05 holder on the day, else the section's recorded chief."""
        chief = self.post_holder(section_id, "B05")
        if chief is None:
            org = self.orgs.get(section_id)
            chief = _holder(org) if org is not None else None
            if chief is not None:
                chief = replace(chief, post_code="B05", post_name=None)
        return [
            self.link(
                Role.SECTION_CHIEF,
                chief,
                _gap(chief, None, Gap.NOT_IN_BUREAU),
                org_sid=self.org_sid(section_id),
                code="B05",
            )
        ]

    def bureau_links(self) -> list[ChainLink]:
        """The deputy in charge of safety (B02) and the bureau chief (B01, also party secretary)."""
        out = []
        for role, code in ((Role.DEPUTY_IN_CHARGE, "B02"), (Role.BUREAU_CHIEF, "B01")):
            holder = _holder(_latest(self.bureau_posts.get(code, ())))
            out.append(
                self.link(
                    role, holder, _gap(holder, self.bureau_id, Gap.NOT_IN_BUREAU), org_sid=self.bureau_sid, code=code
                )
            )
        return out

    def from_role(self, role: Role, org_id: int, subject_link: ChainLink | None) -> list[ChainLink]:
        """The chain from a post's place upward; ``subject_link`` replaces the generic link of
        the same role (so a post-assignment subject shows that assignment's holder)."""
        if role in (
            Role.POST_HOLDER,
            Role.SAFETY_DEPUTY,
            Role.PRINCIPAL,
            Role.SCHOOL_PARTY_SECRETARY,
            Role.PARTY_INSTRUCTOR,
        ):
            links = self.school_links(org_id) + self.liaison_links(org_id)
        elif role in (Role.LIAISON, Role.SECTION_CHIEF):
            links = self.section_links(org_id)
        else:
            links = []
        links = links + self.bureau_links()
        links = [link for link in links if ROLE_RANK[Role(link.role)] >= ROLE_RANK[role]]
        if subject_link is None:
            return links
        if any(link.role == subject_link.role for link in links):
            return [subject_link if link.role == subject_link.role else link for link in links]
        return [subject_link, *links]


def _subject_link(asm: Assembler, row: Any, valid: bool) -> tuple[Role, ChainLink]:
    """The link of a person's or post assignment's own post."""
    role = ROLE_OF_POST.get(row["post_code"], Role.POST_HOLDER)
    holder = _holder(row) if valid else None
    if row["org_kind"] == "school":
        expected, misfit = (None if row["post_code"] == "S24" else row["org_id"]), Gap.NOT_IN_SCHOOL
    elif row["org_kind"] == "section":
        expected, misfit = row["org_id"], Gap.NOT_IN_SECTION
    else:
        expected, misfit = row["org_id"], Gap.NOT_IN_BUREAU
    gap = _gap(holder, expected, misfit)
    link = ChainLink(
        role=role.value,
        person_id=holder.source_id if holder else None,
        person_name=holder.name if holder else None,
        post_code=row["post_code"],
        post_name=row["post_name"],
        org_source_id=row["org_sid"],
        grid_source_id=None,
        level=None,
        gap=gap.value if gap else None,
    )
    return role, link


def _grid_chain(asm: Assembler, extra_school: int | None) -> list[ChainLink]:
    links, schools = asm.grid_links()
    if not links and extra_school is not None:
        links, schools = [asm.no_grid_link(extra_school, Gap.NO_GRID)], [extra_school]
    for school_id in schools:
        # Leaders are fetched for the subject's own school(s); a grid hung under another
        # school's tree (bad data) shows its owner but does not drag that school's leaders in.
        if school_id in asm.orgs:
            links += asm.school_links(school_id) + asm.liaison_links(school_id)
    return links + asm.bureau_links()


def assemble(subject: ChainSubject, rows: Rows) -> list[ChainLink] | None:
    """The ordered links for ``subject``; ``None`` when the subject does not exist."""
    asm = Assembler(rows)
    sid = subject.source_id
    if subject.kind == "grid":
        if not any(r["grid_sid"] == sid for r in rows.get("grid", ())):
            return None
        return _grid_chain(asm, None)
    if subject.kind == "building":
        found = rows.get("subject", ())
        return _grid_chain(asm, found[0]["org_id"]) if found else None
    if subject.kind == "school":
        school = next((r for r in rows.get("org", ()) if r["org_sid"] == sid and r["org_kind"] == "school"), None)
        return _grid_chain(asm, school["org_id"]) if school is not None else None
    if subject.kind == "person":
        person = rows.get("subject", ())
        if not person:
            return None
        if rows.get("grid"):
            return _grid_chain(asm, None)
        posts = rows.get("subject_post", ())
        if not posts:
            holder = _holder(person[0])
            return [asm.link(Role.POST_HOLDER, holder, Gap.NO_POST, org_sid=asm.org_sid(person[0]["person_org_id"]))]
        row = min(posts, key=lambda r: (ROLE_RANK[ROLE_OF_POST.get(r["post_code"], Role.POST_HOLDER)], r["org_sid"]))
        role, link = _subject_link(asm, row, valid=True)
        return asm.from_role(role, row["org_id"], link)
    posts = rows.get("subject_post", ())
    if not posts:
        return None
    valid = [r for r in posts if r["flag"]]
    # Held on the day: that holder; otherwise the slot's most recent row names the vacant post.
    row = _latest(valid) or max(posts, key=lambda r: r["valid_from"])
    role, link = _subject_link(asm, row, valid=bool(valid))
    return asm.from_role(role, row["org_id"], link)
