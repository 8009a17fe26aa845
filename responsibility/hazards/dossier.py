"""The dossier (一档): one PDF with a hazard's whole record, sealed when the hazard closes.

Contents: the hazard (school, grid, risk area, level, description, found date, file number), the
plan (measures, temporary controls, funds, rectifier, deadline), every record in order (who,
when, what) with its photos and the SHA-256 of each stored photo and of its original, the
acceptance and the supervision (with the notice's hash), and the accountability chain of the
grid on the day the hazard was found (``chain.trace``). At close (:func:`seal_dossier`) it is
certified with the bureau seal and given a document timestamp (PAdES B-LTA), stored in the
agreement store, and its hash recorded on the hazard, so it verifies like an agreement. For an
open hazard :func:`dossier_pdf` renders and seals an interim copy marked 过程稿 (not stored).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..agreements.storage import PdfStore
from ..audit import append_event
from ..chain import ChainSubject
from ..chain.trace import trace
from ..evidence.report_pdf import ReportSealer
from ..models import Grid, Hazard
from .documents import Styles, build_sealable, seal, styles, table, text
from .photos import PhotoStore
from .queries import hazard_view
from .states import CLOSED, state_of

__all__ = ["dossier_pdf", "render_dossier", "seal_dossier"]

PHOTO_WIDTH = 70 * mm


def _photos(story: list[Any], st: Styles, photos: list[dict[str, str]], store: PhotoStore) -> None:
    for p in photos:
        data = store.read(p["sha256"])
        image = Image(BytesIO(data))
        scale = PHOTO_WIDTH / image.imageWidth
        image.drawWidth, image.drawHeight = PHOTO_WIDTH, image.imageHeight * scale
        story += [image, Paragraph(f"照片 SHA-256：{p['sha256']}<br/>原件 SHA-256：{p['original_sha256']}", st.small)]


def _chain(session: Session, story: list[Any], st: Styles, hazard: Hazard) -> None:
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    day = hazard.found_date
    story.append(Paragraph(f"网格责任链（发现之日 {text(day)}）", st.heading))
    if grid is None or day is None:
        story.append(Paragraph("没有网格或发现日期，无法追溯责任链。", st.body))
        return
    rows: list[list[object]] = [["角色", "责任人", "岗位", "责任书", "状态"]]
    for t in trace(session, ChainSubject.grid(grid.source_id), day).links:
        d = t.as_dict()
        person = f"{d['person_name'] or '（空缺）'}（{d['person_id'] or '—'}）"
        rows.append([d["role"], person, d["post"] or "", d["agreement_id"] or "", d["agreement_state"]])
    story.append(table(rows, st, [28 * mm, 38 * mm, 40 * mm, 34 * mm, 20 * mm]))


def render_dossier(session: Session, hazard: Hazard, photos: PhotoStore, *, interim: bool) -> bytes:
    """The unsigned dossier with its empty seal field."""
    st = styles()
    view = hazard_view(session, hazard)
    title = "隐患档案（一患一档）" + ("（过程稿）" if interim else "")
    grid = session.get(Grid, hazard.grid_id) if hazard.grid_id else None
    rows = [
        ["文件编号", view["file_no"] or ""],
        ["状态", f"{hazard.status}（{view['state'] or '未知'}）"],
        ["学校", f"{hazard.school.name}（{hazard.school.source_id}）"],
        ["网格", f"{grid.name}（{grid.source_id}）" if grid else ""],
        ["风险领域", view["risk_area"] or ""],
        ["等级", view["level"] or ""],
        ["发现日期", view["found_date"] or ""],
        ["隐患描述", view["description"] or ""],
        ["整改措施", view["measures"] or ""],
        ["临时管控措施", view["temporary_measures"] or ""],
        ["整改资金（元）", str(view["funds_yuan"] if view["funds_yuan"] is not None else "")],
        ["整改责任人", view["rectifier_id"] or ""],
        ["整改期限", view["deadline"] or ""],
        ["验收人", view["accepted_by_id"] or ""],
        ["挂牌督办", f"是，督办人 {view['supervised_by_id']}" if view["listed_for_supervision"] else "否"],
        ["督办通知书 SHA-256", hazard.supervision_notice_sha256 or ""],
        ["局督办人销号", view["countersigned_by_id"] or ""],
        ["销号日期", view["closed_date"] or ""],
    ]
    story: list[Any] = [Paragraph(text(title), st.title), Spacer(1, 4 * mm), table(rows, st, [40 * mm, 120 * mm])]
    story.append(Paragraph("全过程记录", st.heading))
    for r in view["records"]:
        story.append(Paragraph(f"{text(r['date'])}　{text(r['kind'])}　{text(r['by'])}：{text(r['note'])}", st.body))
        _photos(story, st, r["photos"], photos)
    _chain(session, story, st, hazard)
    story += [
        Spacer(1, 6 * mm),
        Paragraph("本档案由教育局系统生成，加盖单位印章电子签名并附可信时间戳；档案被改动后签名即失效。", st.small),
    ]
    return build_sealable(story, title=title)


def seal_dossier(
    session: Session, hazard: Hazard, *, sealer: ReportSealer, store: PdfStore, photos: PhotoStore, actor: str
) -> str:
    """Seal and store the dossier of a closed hazard; returns its SHA-256 (flushes, no commit)."""
    pdf = seal(render_dossier(session, hazard, photos, interim=False), sealer, reason="隐患档案", archive=True)
    digest, _ = store.put(pdf)
    session.execute(
        update(Hazard)
        .where(Hazard.id == hazard.id)
        .values(dossier_sha256=digest)
        .execution_options(synchronize_session=False)
    )
    session.expire(hazard)
    append_event(
        session,
        actor=actor,
        action="hazard.dossier_sealed",
        subject=f"hazard:{hazard.file_no}",
        data={"file_no": hazard.file_no, "sha256": digest},
    )
    return digest


def dossier_pdf(
    session: Session, hazard: Hazard, *, sealer: ReportSealer, store: PdfStore, photos: PhotoStore
) -> bytes:
    """The dossier to hand out: the sealed one of a closed hazard, or a sealed interim copy."""
    if state_of(hazard.status) == CLOSED and hazard.dossier_sha256:
        return store.read(hazard.dossier_sha256)
    return seal(render_dossier(session, hazard, photos, interim=True), sealer, reason="隐患档案（过程稿）")
