"""With the instance PKI, submitting a checklist in the browser signs its result PDF with the
inspector's PIN in the same unit of work; a wrong PIN submits nothing."""

from __future__ import annotations

import datetime as dt
import re

from test_round_pages import BUREAU, DEPUTY, SCHOOL, _open, _round_id, _version

from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import Agreement, InspectionChecklist, WorkDocument

PIN = "739184"


def _setup(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    today = county_today()
    made = runner.invoke(args=["campaign", "create", "排查批次", "--start", (today - dt.timedelta(days=30)).isoformat(),
                               "--end", (today + dt.timedelta(days=90)).isoformat()])  # fmt: skip
    assert made.exit_code == 0, made.output
    pin = tmp_path / "pin"
    pin.write_text(PIN)
    enrolled = runner.invoke(args=["keys", "enroll", DEPUTY, "--pin-file", str(pin)])
    assert enrolled.exit_code == 0, enrolled.output


def test_the_inspector_signs_the_result_on_submit(pki_demo_app, round_login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(pki_demo_app, tmp_path)
    bureau, deputy = round_login(BUREAU), round_login(DEPUTY)
    url = f"/rounds/{_round_id(_open(bureau))}/{SCHOOL}"
    page = deputy.get(url).get_data(as_text=True)
    deputy.post(f"{url}/answer", data={"item": "R05-06", "result": "pass", "version": _version(page)})
    page = deputy.get(url).get_data(as_text=True)
    deputy.post(
        f"{url}/answer", data={"item": "R05-07", "result": "na", "note": "无校门道路", "version": _version(page)}
    )
    page = deputy.get(url).get_data(as_text=True)
    assert 'id="submit-pin"' in page

    wrong = deputy.post(f"{url}/submit", data={"version": _version(page), "pin": "000000"})
    assert 400 <= wrong.status_code < 500
    with pki_demo_app.app_context():
        statuses = [c.status for c in db.session.query(InspectionChecklist).all()]
        assert "submitted" not in statuses
        db.session.remove()

    page = deputy.get(url).get_data(as_text=True)
    done = deputy.post(f"{url}/submit", data={"version": _version(page), "pin": PIN}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200, text[:500]
    number = re.search(r"排查结果 (\S+) 已由您签署", text).group(1)  # type: ignore[union-attr]
    with pki_demo_app.app_context():
        doc = db.session.query(Agreement).filter_by(document_number=number).one()
        assert [(r.kind, r.field_name) for r in doc.revisions][-1] == ("signed", "sig_superior")
        assert db.session.query(WorkDocument).filter_by(agreement_id=doc.id).one().kind == "round_result"
        assert {c.status for c in db.session.query(InspectionChecklist).filter_by(status="submitted")} == {"submitted"}
        db.session.remove()
