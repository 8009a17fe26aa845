"""挂牌督办: the bureau lists a 重大 hazard for supervision, with a sealed notice.

Only a 重大 hazard that is still open may be listed, once, by the bureau's deputy in charge of
safety or the school's liaison section (``roles``). Listing renders the supervision notice
(督办通知书), certifies it with the bureau seal (``documents.seal``), stores it in the agreement
store by its hash (written before the row that names it), marks the hazard listed, and notifies
both school heads (principal, party secretary or party instructor) and the liaison section
(liaison person, section chief). A listed hazard closes only when the supervisor countersigns the
school's acceptance (``service.accept_hazard``). ``supervision_days`` is the number of days
within which a 重大 hazard must be listed; a later listing is still made, and the notice says it
was late.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements.storage import PdfStore
from ..evidence.report_pdf import ReportSealer
from ..models import Grid, Hazard, LiaisonAssignment, Person, PostAssignment, Section
from ..notify import Event, publish
from .documents import build_sealable, seal, styles, table, text
from .errors import WrongState
from .queries import find_hazard, find_person
from .roles import require_bureau_supervisor
from .states import OPEN_STATES, state_of
from .transitions import apply_step

__all__ = ["HEAD_POSTS", "render_notice", "supervise_hazard", "supervision_recipients"]

HEAD_POSTS = ("S01", "S02", "S24")
KIND = "hazard_supervised"


def _name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return "—"
    person = session.get(Person, person_id)
    return f"{person.name}（{person.source_id}）" if person else "—"


def render_notice(session: Session, hazard: Hazard, supervisor: Person, on: dt.date, *, supervision_days: int) -> bytes:
    """The unsigned notice with its empty seal field."""
    st = styles()
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    due = hazard.found_date + dt.timedelta(days=supervision_days) if hazard.found_date else None
    late = due is not None and on > due
    rows = [
        ["文件编号", hazard.file_no or ""],
        ["学校", hazard.school.name],
        ["网格", f"{grid.name}（{grid.source_id}）" if grid else ""],
        ["风险领域", hazard.risk_area_code or ""],
        ["发现日期", str(hazard.found_date or "")],
        ["隐患描述", hazard.description or ""],
        ["整改措施", hazard.measures or ""],
        ["临时管控措施", hazard.temporary_measures or ""],
        ["整改责任人", _name(session, hazard.responsible_person_id)],
        ["整改期限", str(hazard.deadline or "")],
        ["督办人", f"{supervisor.name}（{supervisor.source_id}）"],
        ["挂牌日期", on.isoformat() + ("（超过规定的挂牌期限）" if late else "")],
    ]
    story = [
        Paragraph("重大事故隐患挂牌督办通知书", st.title),
        Spacer(1, 4 * mm),
        Paragraph(f"{text(hazard.school.name)}：", st.body),
        Paragraph(
            "经查，你校存在下列重大事故隐患，现予挂牌督办。请落实临时管控措施，按期整改到位；"
            "整改完成经学校验收后，报教育局督办人复核销号。",
            st.body,
        ),
        Spacer(1, 3 * mm),
        table(rows, st, [35 * mm, 120 * mm]),
        Spacer(1, 6 * mm),
        Paragraph("本通知书由教育局系统生成，加盖单位印章电子签名（含可信时间戳）。", st.small),
    ]
    return build_sealable(story, title="重大事故隐患挂牌督办通知书")


def supervision_recipients(session: Session, hazard: Hazard, day: dt.date) -> list[int]:
    """Both school heads and the liaison section (liaison person, section chief) on ``day``."""
    heads = session.scalars(
        select(PostAssignment.person_id)
        .where(
            PostAssignment.org_id == hazard.school_id,
            PostAssignment.post_code.in_(HEAD_POSTS),
            PostAssignment.held_on(day),
        )
        .order_by(PostAssignment.post_code)
    ).all()
    ids = list(heads)
    for la in session.scalars(
        select(LiaisonAssignment).where(LiaisonAssignment.school_id == hazard.school_id, LiaisonAssignment.held_on(day))
    ).all():
        chief = session.scalar(select(Section.chief_person_id).where(Section.id == la.section_id))
        ids += [p for p in (la.liaison_person_id, chief) if p]
    return list(dict.fromkeys(ids))


def supervise_hazard(
    session: Session,
    key: str,
    *,
    by: str,
    on: dt.date,
    sealer: ReportSealer,
    store: PdfStore,
    supervision_days: int,
    expected_version: int | None = None,
) -> Hazard:
    """List a 重大 hazard for supervision (see the module docstring); flushes, no commit."""
    hazard = find_hazard(session, key)
    if hazard.level != "重大":
        raise WrongState("只有重大隐患挂牌督办。 (Only a 重大 hazard is listed for supervision.)")
    if hazard.listed_for_supervision:
        raise WrongState(f"隐患 {hazard.file_no} 已挂牌督办。 (Hazard {hazard.file_no} is already listed.)")
    if state_of(hazard.status) not in OPEN_STATES:
        raise WrongState(f"隐患 {hazard.file_no} 已不在整改中。 (Hazard {hazard.file_no} is no longer open.)")
    supervisor = find_person(session, by)
    require_bureau_supervisor(session, supervisor, hazard.school, on, "挂牌督办")
    notice = seal(
        render_notice(session, hazard, supervisor, on, supervision_days=supervision_days),
        sealer,
        reason="重大事故隐患挂牌督办通知书",
    )
    digest, _ = store.put(notice)
    apply_step(
        session,
        hazard,
        step="supervise",
        by=supervisor,
        on=on,
        note="挂牌督办",
        expected_version=expected_version,
        values={
            "listed_for_supervision": True,
            "supervised_by_person_id": supervisor.id,
            "supervised_on": on,
            "supervision_notice_sha256": digest,
        },
        data={"notice_sha256": digest},
    )
    publish(
        session,
        Event(
            kind=KIND,
            key=f"{KIND}:{hazard.id}",
            recipients=supervision_recipients(session, hazard, on),
            msgid="Major hazard %(number)s of %(school)s (%(summary)s) was listed for supervision by %(supervisor)s.",
            params={
                "number": hazard.file_no or hazard.source_id,
                "school": hazard.school.name,
                "summary": (hazard.description or "")[:30],
                "supervisor": supervisor.name,
            },
            url=f"/hazards/{hazard.file_no}",
        ),
    )
    return hazard
