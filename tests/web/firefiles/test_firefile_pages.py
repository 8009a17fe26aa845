"""The fire-file pages on the demo county: the principal edits a building's file and attaches the
plan PDF, the teacher records a monthly check, a stale form gets 409, a bad PDF 400, a school's
outsider 403, the bureau reads only; in Chinese and in English."""

from __future__ import annotations

import datetime as dt
import io
import re

from fire_pdfs import plan_pdf
from sqlalchemy import func, select

from responsibility.chain.gaps.base import CheckContext
from responsibility.chain.gaps.fire_checks import check_f2
from responsibility.extensions import db
from responsibility.models import Building, FireCheck, FireFileVersion, FirePlan

BUILDING = "BLD0001"  # SCH001's first building
PRINCIPAL, TEACHER, BUREAU = "P00027", "P00047", "P00002"


def _form(page: str) -> dict[str, str]:
    """The edit form's current values, as the browser would send them back."""
    form = {m.group(1): m.group(2) for m in re.finditer(r'name="(\w+)" id="ff-\w+" value="([^"]*)"', page)}
    form["version"] = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    for name in ("dense_occupancy", "emergency_lighting_ok", "evac_signs_ok"):
        form[name] = "yes"
    return form


def _versions(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        count = db.session.scalar(select(func.count(FireFileVersion.id)))
        db.session.remove()
        return int(count or 0)


def test_edit_attach_and_check_through_the_pages(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login(PRINCIPAL)
    listing = principal.get("/schools/SCH001/fire-files").get_data(as_text=True)
    assert BUILDING in listing and "一楼一案" in listing
    page = principal.get(f"/fire-files/{BUILDING}").get_data(as_text=True)
    assert 'id="fire-file-form"' in page and 'id="fire-check-form"' in page
    uploaded = plan_pdf()
    form = {**_form(page), "extinguishers": "41", "plan": (io.BytesIO(uploaded), "疏散预案.pdf")}
    sent = principal.post(f"/fire-files/{BUILDING}/edit", data=form, content_type="multipart/form-data")
    assert sent.status_code == 302, sent.get_data(as_text=True)[:800]
    page = principal.get(f"/fire-files/{BUILDING}").get_data(as_text=True)
    assert 'id="ff-version">1<' in page and 'data-version="1"' in page and "41" in page
    link = re.search(r'href="([^"]+\.pdf)" id="plan-link"', page).group(1)  # type: ignore[union-attr]
    pdf = principal.get(link)
    assert pdf.status_code == 200 and pdf.data == uploaded and pdf.mimetype == "application/pdf"

    stale = principal.post(f"/fire-files/{BUILDING}/edit", data={**_form(page), "version": "0", "stairs": "7"})
    assert stale.status_code == 409 and "版本" in stale.get_data(as_text=True)
    bad = principal.post(
        f"/fire-files/{BUILDING}/edit",
        data={**_form(page), "plan": (io.BytesIO(b"GIF89a"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "PDF" in bad.get_data(as_text=True)
    bad_floor = principal.post(
        f"/fire-files/{BUILDING}/edit?lang=en", data={**_form(page), "child_rooms_top_floor": "99"}
    )
    assert bad_floor.status_code == 400 and "highest floor used by young children" in bad_floor.get_data(as_text=True)
    assert _versions(demo_app) == 1

    teacher = demo_login(TEACHER)
    assert teacher.post(f"/fire-files/{BUILDING}/edit", data=_form(page)).status_code == 403
    day = re.search(r'id="fc-date" value="([\d-]+)"', page).group(1)  # type: ignore[union-attr]
    checked = teacher.post(f"/fire-files/{BUILDING}/checks", data={"checker": TEACHER, "date": day, "finding": "正常"})
    assert checked.status_code == 302
    again = teacher.post(f"/fire-files/{BUILDING}/checks", data={"checker": TEACHER, "date": day})
    assert again.status_code == 400
    with demo_app.app_context():
        plan = db.session.scalars(select(FirePlan).join(Building).where(Building.source_id == BUILDING)).one()
        assert plan.last_monthly_check.isoformat() == day and plan.extinguishers == 41
        assert db.session.scalar(select(func.count(FireCheck.id))) == 1
        at = dt.date.fromisoformat(day)
        assert BUILDING not in {f.subject_id for f in check_f2(CheckContext(session=db.session, at=at))}
    listing = principal.get("/schools/SCH001/fire-files").get_data(as_text=True)
    assert re.search(rf'data-building="{BUILDING}" data-status="ok"', listing)


def test_the_bureau_reads_only_and_outsiders_get_403(demo_login, demo_app) -> None:  # type: ignore[no-untyped-def]
    bureau = demo_login(BUREAU)
    page = bureau.get(f"/fire-files/{BUILDING}?lang=en").get_data(as_text=True)
    assert "Fire file" in page and 'id="read-only"' in page and 'id="fire-file-form"' not in page
    assert bureau.post(f"/fire-files/{BUILDING}/edit", data={"floors": "3"}).status_code == 403
    assert bureau.post(f"/fire-files/{BUILDING}/checks", data={"date": "2025-01-01"}).status_code == 403
    outsider = demo_login(PRINCIPAL)
    other = "BLD0008"  # a building of another school
    with demo_app.app_context():
        school = db.session.scalar(select(Building.school_id).where(Building.source_id == other))
        own = db.session.scalar(select(Building.school_id).where(Building.source_id == BUILDING))
        assert school != own
    assert outsider.get(f"/fire-files/{other}").status_code == 403
    assert outsider.post(f"/fire-files/{other}/edit", data={"floors": "3"}).status_code == 403
    assert outsider.get("/schools/SCH002/fire-files").status_code == 403
    assert demo_login(TEACHER).get("/schools/SCH002/fire-files").status_code == 403
    assert outsider.get("/fire-files/NOPE").status_code == 404
    assert _versions(demo_app) == 0


def test_both_languages(demo_login) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login(PRINCIPAL)
    zh = principal.get(f"/fire-files/{BUILDING}").get_data(as_text=True)
    en = principal.get(f"/fire-files/{BUILDING}?lang=en").get_data(as_text=True)
    assert "保存为新版本" in zh and "疏散楼梯" in zh
    assert "Save a new version" in en and "Evacuation stairs" in en and "保存为新版本" not in en
