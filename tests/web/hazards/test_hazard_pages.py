"""The hazard pages by role on the demo county: the grid owner reports from the poster's URL, the
principal plans, the rectifier finishes, the party secretary accepts; stale forms get 409."""

from __future__ import annotations

import datetime as dt
import io
import re

from PIL import Image
from sqlalchemy import select

from responsibility import clock
from responsibility.extensions import db
from responsibility.hazards import find_hazard, state_of
from responsibility.hazards.board import board
from responsibility.models import Hazard

GRID = "G00043"  # 高一（1）班 of SCH001, owned by P00047 (a demo login)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 0, 200)).save(out, format="JPEG")
    return out.getvalue()


def _state(app, file_no: str) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        state = state_of(find_hazard(db.session, file_no).status)
        db.session.remove()
        return state


def test_the_loop_through_the_pages(demo_login, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    owner, principal, secretary = demo_login("P00047"), demo_login("P00027"), demo_login("P00028")
    form = owner.get(f"/hazards/report?grid={GRID}")
    assert form.status_code == 200 and GRID in form.get_data(as_text=True)
    assert "上报隐患" in form.get_data(as_text=True)  # Chinese first
    sent = owner.post(
        "/hazards/report",
        data={"grid": GRID, "area": "R03", "description": "教室插座松动", "photo": (io.BytesIO(_jpeg()), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    file_no = sent.headers["Location"].rsplit("/", 1)[-1]
    assert _state(pki_demo_app, file_no) == "reported"

    deadline = (clock.today(clock.DEFAULT_ZONE) + dt.timedelta(days=7)).isoformat()
    plan = {"step": "plan", "version": "1", "level": "一般", "measures": "更换插座", "rectifier": "P00047",
            "deadline": deadline}  # fmt: skip
    assert principal.post(f"/hazards/{file_no}/step", data=plan).status_code == 302
    assert _state(pki_demo_app, file_no) == "planned"
    stale = principal.post(f"/hazards/{file_no}/step", data={**plan, "step": "void", "note": "x"})
    assert stale.status_code == 409 and _state(pki_demo_app, file_no) == "planned"

    page = owner.get(f"/hazards/{file_no}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    done = owner.post(
        f"/hazards/{file_no}/step", data={"step": "progress", "version": version, "note": "已更换", "done": "1"}
    )
    assert done.status_code == 302 and _state(pki_demo_app, file_no) == "awaiting_acceptance"

    own = owner.post(f"/hazards/{file_no}/step", data={"step": "accept"})
    assert own.status_code == 403 and _state(pki_demo_app, file_no) == "awaiting_acceptance"
    assert secretary.post(f"/hazards/{file_no}/step", data={"step": "accept"}).status_code == 302
    assert _state(pki_demo_app, file_no) == "closed"
    pdf = secretary.get(f"/hazards/{file_no}/dossier.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.data.count(b"/ByteRange") == 2

    ledger = demo_login("P00002").get("/hazards?school=SCH001").get_data(as_text=True)
    assert file_no in ledger


def test_report_on_a_grid_of_an_invisible_school_is_404(demo_login, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    principal = demo_login("P00027")
    assert principal.get("/hazards/report?grid=G00111").status_code == 404  # a grid of SCH002
    assert principal.get("/hazards/report?grid=NOPE").status_code == 404


def test_a_bad_photo_is_refused_and_nothing_is_made(demo_login, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    owner = demo_login("P00047")
    sent = owner.post(
        "/hazards/report",
        data={"grid": GRID, "area": "R05", "description": "x", "photo": (io.BytesIO(b"not an image"), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 400 and "a.jpg" in sent.get_data(as_text=True)
    with pki_demo_app.app_context():
        assert db.session.scalar(select(Hazard.id).where(Hazard.reported_by_person_id.is_not(None))) is None


def test_the_board_counts_against_the_targets(demo_login, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    page = demo_login("P00002").get("/hazards/board")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "整改率（目标100%）" in text
    with pki_demo_app.app_context():
        today = clock.today(clock.DEFAULT_ZONE)
        result = board(db.session, at=today)
        rows = db.session.execute(select(Hazard.status, Hazard.deadline)).all()
        db.session.remove()
    open_rows = [deadline for status, deadline in rows if status != "已销号"]  # the demo's imported ledger
    assert (result.total.total, result.total.open) == (len(rows), len(open_rows))
    assert result.total.overdue == sum(1 for d in open_rows if d is not None and d < today) > 0
    assert f'id="overdue">{result.total.overdue}<' in text
    assert result.rectification_rate is not None and f"{result.rectification_rate * 100:.0f}%" in text


def test_a_refusal_shows_the_readers_language_only(demo_login, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    """The domain's ``中文 (English)`` refusal shows its Chinese part in zh_CN, its English part in en."""
    from flask_babel import refresh

    owner = demo_login("P00047")

    def refused(lang: str) -> str:
        with pki_demo_app.test_request_context():
            refresh()
        sent = owner.post(
            f"/hazards/report?lang={lang}",
            data={"grid": GRID, "area": "R05", "description": "x", "photo": (io.BytesIO(b"not an image"), "a.jpg")},
            content_type="multipart/form-data",
        )
        assert sent.status_code == 400
        return sent.get_data(as_text=True)

    zh = refused("zh_CN")
    assert "照片 a.jpg：" in zh and "(Photo a.jpg" not in zh
    en = refused("en")
    assert "Photo a.jpg:" in en and "照片 a.jpg" not in en


def test_the_ledger_lists_its_hazards_in_pages(demo_login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The ledger lists a page of hazards at a time; its count is of them all, every hazard is on
    one page, and the pager's links keep the filters."""
    import responsibility.web.hazards.routes as routes

    monkeypatch.setattr(routes, "HAZARDS_PER_PAGE", 5)
    chief = demo_login("P00001")
    whole = chief.get("/hazards?lang=en").get_data(as_text=True)
    total = int(re.search(r"(\d+) hazards", whole).group(1))  # type: ignore[union-attr]
    assert total > 5
    row = re.compile(r'<a href="/hazards/([^"]+)">')
    pages = -(-total // 5)
    seen = []
    for number in range(1, pages + 1):
        html = chief.get(f"/hazards?page={number}&lang=en").get_data(as_text=True)
        seen += row.findall(html.split('id="ledger"')[1].split("</table>")[0])
        assert f"{total} hazards" in html and ('rel="next"' in html) == (number < pages)
    assert len(seen) == total == len(set(seen))
    filtered = chief.get("/hazards?level=%E4%B8%80%E8%88%AC&lang=en").get_data(as_text=True)
    assert "hazards" in filtered and int(re.search(r"(\d+) hazards", filtered).group(1)) > 5  # type: ignore[union-attr]
    assert 'href="/hazards?page=2&amp;level=%E4%B8%80%E8%88%AC#ledger" rel="next"' in filtered
    assert chief.get("/hazards?page=x").status_code == 400
