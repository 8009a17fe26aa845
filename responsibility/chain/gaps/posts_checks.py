"""P1 (一岗双责: every post carries a business duty and a safety duty) and P2 (the posts a
school's features require are filled, 按特征必设岗位).

A post assignment's duties are those it declares, else (when the import left them out: NULL)
its catalogue post's — the agreement prints the same. A duty declared empty (``safety_duties:
[]``, ``business_duty: ""``, an empty cell) is a gap even when the catalogue has text for it.

P2 counts holders on ``at`` who are in service on ``at`` (``Person.in_service_on``): a post
held only by someone who has left by then is vacant, and filled on a day before they left.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ColumnElement, case, func, select

from ...models import Campus, Organization, Person, PostAssignment, PostType, School
from .base import CheckContext, Finding, blank_json_list, blank_text, finding

__all__ = ["REQUIRED_POSTS", "check_p1", "check_p2", "lacks_safety_duties"]

FEMALE = "女"

REQUIRED_POSTS: dict[str, tuple[str, str]] = {
    "S15": ("boarding", "宿管员"),
    "S18": ("school_bus", "校车驾驶员"),
    "S19": ("school_bus", "随车照管员"),
    "S14": ("lab", "实验员"),
    "S13": ("canteen", "食品安全员（食堂管理员）"),
    "S21": ("special_equipment", "特种设备持证作业人员"),
    "S20": ("vocational", "实训指导教师"),
    "S22": ("campuses", "校区负责人"),
}
"""Post code → (the school feature that requires it, its name); ``campuses`` means the school
lists member sites besides its main one."""


def lacks_safety_duties() -> ColumnElement[bool]:
    """A post assignment with no safety duty in force: its own list declared empty, or none of its
    own and none in the catalogue post (the query must outer-join ``PostType``)."""
    pa, pt = PostAssignment, PostType
    return (pa.safety_duties.is_(None) & blank_json_list(pt.safety_duties)) | (
        pa.safety_duties.is_not(None) & blank_json_list(pa.safety_duties)
    )


def check_p1(ctx: CheckContext) -> list[Finding]:
    """Post assignments held on ``at`` without a safety duty (or without a business duty) in
    force; a duty declared empty says so in the message."""
    pa, pt = PostAssignment, PostType
    no_safety = lacks_safety_duties()
    no_business = (pa.business_duty.is_(None) & blank_text(pt.business_duty)) | (
        pa.business_duty.is_not(None) & blank_text(pa.business_duty)
    )
    rows = ctx.session.execute(
        select(
            pa.source_id,
            Organization.source_id,
            Organization.kind,
            func.coalesce(pa.local_post_name, pt.name, pa.post_code),
            no_safety,
            no_business,
            pa.safety_duties.is_not(None),
            pa.business_duty.is_not(None),
        )
        .join(Organization, Organization.id == pa.org_id)
        .outerjoin(pt, pt.id == pa.post_type_id)
        .where(pa.held_on(ctx.at), no_safety | no_business)
        .order_by(Organization.source_id, pa.source_id)
    ).all()
    out = []
    for pa_sid, org_sid, kind, post, lacks_safety, lacks_business, own_safety, own_business in rows:
        lacking = [
            name + ("（填报为空）" if own else "")
            for name, flag, own in (("安全职责", lacks_safety, own_safety), ("业务职责", lacks_business, own_business))
            if flag
        ]
        out.append(finding("P1", org_sid, pa_sid, f"岗位“{post}”（{pa_sid}）没有{'和'.join(lacking)}", org_kind=kind))
    return out


def check_p2(ctx: CheckContext) -> list[Finding]:
    """Posts required by the school's features that are vacant or short on ``at``."""
    pa = PostAssignment
    holders = ctx.session.execute(
        select(
            pa.org_id,
            pa.post_code,
            func.count(func.distinct(pa.person_id)),
            func.count(func.distinct(case((Person.gender == FEMALE, pa.person_id)))),
        )
        .join(Person, Person.id == pa.person_id)
        .where(pa.held_on(ctx.at), Person.in_service_on(ctx.at), pa.post_code.in_(REQUIRED_POSTS))
        .group_by(pa.org_id, pa.post_code)
    ).all()
    count: dict[tuple[int, str], int] = {}
    women: dict[int, int] = defaultdict(int)
    for org_id, code, n, female in holders:
        count[(org_id, code)] = n
        if code == "S15":
            women[org_id] = female
    sites = select(Campus.school_id, func.count().label("n")).group_by(Campus.school_id).subquery()
    schools = ctx.session.execute(
        select(School.id, School.source_id, School.features, School.school_buses, func.coalesce(sites.c.n, 0))
        .outerjoin(sites, sites.c.school_id == School.id)
        .order_by(School.source_id)
    ).all()
    out = []
    for school_id, sid, features, buses, n_sites in schools:
        feats = set(features or [])
        need = _needs(feats, buses or 0, n_sites)
        for code, wanted in need.items():
            have = count.get((school_id, code), 0)
            name = REQUIRED_POSTS[code][1]
            if have < wanted:
                out.append(finding("P2", sid, code, f"按学校特征须配{name}不少于{wanted}人，在岗{have}人"))
            elif code == "S15" and women[school_id] == 0:
                out.append(finding("P2", sid, code, "寄宿学校宿管员中没有女性"))
    return out


def _needs(features: set[str], buses: int, sites: int) -> dict[str, int]:
    """Post code → minimum number of holders in service for a school."""
    need: dict[str, int] = {}
    if "boarding" in features:
        need["S15"] = 2
    if "school_bus" in features or buses > 0:
        need["S18"] = need["S19"] = max(buses, 1)
    for code, (feature, _) in REQUIRED_POSTS.items():
        if feature in features and code not in need:
            need[code] = 1
    if sites > 1:
        need["S22"] = sites - 1
    return need
