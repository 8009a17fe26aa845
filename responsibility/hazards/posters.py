"""QR posters: one A5 page per grid of a school, to hang where the grid is.

Each page names the school, the grid (and its id) and its owner (网格长) on the day, and carries a
QR code to the report form for that grid: ``{PUBLIC_BASE_URL}/hazards/report?grid=G00003``.
Scanning it after logging in opens the form with the grid filled in (the web pages build on this
URL: :func:`report_url`); the same page logs the grid's patrol (巡查正常, ``responsibility.patrols``).
The configured public address (``PUBLIC_BASE_URL``) is the one used in QR codes, never the address
a request happened to arrive at.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from urllib.parse import urlencode

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Grid, GridOwnership, Person, School
from ..pdf.fonts import ensure_font_registered
from ..pdf.render import qr_drawing
from .errors import BadInput

__all__ = ["QR_SIDE", "render_posters", "report_url"]

QR_SIDE = 90 * mm
REPORT_PATH = "/hazards/report"


def report_url(base_url: str, grid_source_id: str) -> str:
    """The report form for a grid, under the configured public address."""
    base = (base_url or "").rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise BadInput(
            "未配置对外访问地址（PUBLIC_BASE_URL），无法生成二维码。 (PUBLIC_BASE_URL is not set: no QR codes.)"
        )
    return f"{base}{REPORT_PATH}?{urlencode({'grid': grid_source_id})}"


def _owners(session: Session, school: School, day: dt.date) -> dict[int, Person]:
    rows = session.execute(
        select(GridOwnership.grid_id, Person)
        .join(Person, Person.id == GridOwnership.person_id)
        .join(Grid, Grid.id == GridOwnership.grid_id)
        .where(Grid.school_id == school.id, GridOwnership.held_on(day))
    ).all()
    return {grid_id: person for grid_id, person in rows}


def render_posters(session: Session, school: School, *, base_url: str, day: dt.date) -> bytes:
    """One A5 page per grid of ``school`` (by grid id); :class:`BadInput` when it has none."""
    grids = session.scalars(select(Grid).where(Grid.school_id == school.id).order_by(Grid.source_id)).all()
    if not grids:
        raise BadInput(f"{school.name}没有网格。 ({school.source_id} has no grids.)")
    owners = _owners(session, school, day)
    font = ensure_font_registered()
    out = BytesIO()
    canvas = Canvas(out, pagesize=A5, invariant=True, initialFontName=font)
    canvas.setTitle(f"{school.name} 隐患随手拍二维码")
    width, height = A5
    for grid in grids:
        owner = owners.get(grid.id)
        canvas.setFont(font, 20)
        canvas.drawCentredString(width / 2, height - 25 * mm, "巡查打卡  发现隐患  扫码上报")
        canvas.setFont(font, 12)
        canvas.drawCentredString(width / 2, height - 36 * mm, school.name)
        canvas.setFont(font, 16)
        canvas.drawCentredString(width / 2, height - 50 * mm, f"{grid.name}（{grid.source_id}）")
        canvas.setFont(font, 12)
        who = f"网格长：{owner.name}（{owner.source_id}）" if owner else "网格长：（空缺）"
        canvas.drawCentredString(width / 2, height - 60 * mm, who)
        url = report_url(base_url, grid.source_id)
        renderPDF.draw(qr_drawing(url, font, QR_SIDE), canvas, (width - QR_SIDE) / 2, 45 * mm)
        canvas.setFont(font, 8)
        canvas.drawCentredString(width / 2, 38 * mm, url)
        canvas.drawCentredString(width / 2, 30 * mm, "登录后扫码，网格已自动填写；隐患即事故，发现即上报。")
        canvas.drawCentredString(width / 2, 25 * mm, "网格长、网格员巡查时扫码点“巡查正常”登记巡查。")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
