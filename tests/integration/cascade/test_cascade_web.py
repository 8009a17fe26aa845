"""The cascade page and command: refusals (409 before countersign, 403 for a non-leader), a
leader issues, the principal's inbox lists the post agreements awaiting him, the CLI skips them.

Requests run outside the test's app context (each request gets its own, as in production)."""

from __future__ import annotations

import re
from contextlib import contextmanager

from fixtures.cascade_workflow import countersigned
from fixtures.signing_workflow import holder, issue_schools, school
from sqlalchemy import select
from support import DEMO_PASSWORD

from responsibility.accounts.passwords import set_password
from responsibility.agreements.cascade import post_agreements
from responsibility.extensions import db
from responsibility.models import Agreement, User

SCH = "SCH001"


@contextmanager
def _db(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield db.session
        db.session.remove()


def _login(app, source_id: str):  # type: ignore[no-untyped-def]
    with _db(app) as s:
        user = s.scalars(select(User).where(User.username == source_id)).one()
        set_password(user, DEMO_PASSWORD, must_change=False)
        s.commit()
    client = app.test_client()
    response = client.post("/login", data={"username": source_id, "password": DEMO_PASSWORD})
    assert response.status_code == 302, source_id
    return client


def _heads(app):  # type: ignore[no-untyped-def]
    with _db(app) as s:
        sch = school(s, SCH)
        return {code: (holder(s, sch, code).id, holder(s, sch, code).source_id) for code in ("S01", "S03", "S04")}


def test_issue_before_countersign_is_409(cc_app) -> None:  # type: ignore[no-untyped-def]
    cc_app.config["WTF_CSRF_ENABLED"] = False
    with _db(cc_app) as s:
        issue_schools(cc_app, s, [SCH])
    client = _login(cc_app, _heads(cc_app)["S01"][1])
    page = client.get(f"/cascade/{SCH}")
    assert page.status_code == 200 and 'id="cascade-refusal"' in page.get_data(as_text=True)
    assert client.post(f"/cascade/{SCH}").status_code == 409


def test_leader_issues_from_the_page_non_leader_refused(cc_app) -> None:  # type: ignore[no-untyped-def]
    cc_app.config["WTF_CSRF_ENABLED"] = False
    with _db(cc_app) as s:
        parent_id = countersigned(cc_app, s, SCH).id
    heads = _heads(cc_app)
    (principal_id, principal_sid), (deputy_id, deputy_sid), (_, teacher_sid) = heads["S01"], heads["S03"], heads["S04"]

    assert _login(cc_app, teacher_sid).post(f"/cascade/{SCH}").status_code == 403
    with _db(cc_app) as s:
        assert post_agreements(s, s.get(Agreement, parent_id)) == []

    client = _login(cc_app, deputy_sid)
    confirm = client.get(f"/cascade/{SCH}/issue").get_data(as_text=True)  # the confirmation step
    new = int(re.search(r'data-new="(\d+)"', confirm).group(1))
    assert new > 0 and "确认签发" in confirm
    started = client.post(f"/cascade/{SCH}")  # then a background job with a progress page
    assert started.status_code == 302 and "/cascade/jobs/" in started.headers["Location"]
    from responsibility.web.cascade.routes import RUNNERS_KEY

    assert cc_app.extensions[RUNNERS_KEY][int(started.headers["Location"].rsplit("/", 1)[1])].join(timeout=600)
    progress = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "100%" in progress and f"已处理 {new} / {new} 条监管关系" in progress
    with _db(cc_app) as s:
        rows = [(a.document_number, a.state, a.superior_person_id, a.holder_person_id)
                for a in post_agreements(s, s.get(Agreement, parent_id))]  # fmt: skip
    assert rows and all(state == "issued" for _, state, _, _ in rows)
    page = client.get(f"/cascade/{SCH}").get_data(as_text=True)
    assert all(number in page for number, *_ in rows)

    awaiting = [number for number, _, superior, _ in rows if superior == principal_id]
    principal = _login(cc_app, principal_sid)
    inbox = principal.get("/sign/inbox").get_data(as_text=True)
    assert awaiting and all(number in inbox for number in awaiting)
    with _db(cc_app) as s:
        first = s.scalars(select(Agreement.id).where(Agreement.document_number == awaiting[0])).one()
    sign_page = principal.get(f"/sign/{first}")
    assert sign_page.status_code == 200 and awaiting[0] in sign_page.get_data(as_text=True)
    mine = next(number for number, _, _, holder_id in rows if holder_id == deputy_id)
    assert mine not in client.get("/sign/inbox").get_data(as_text=True)  # the superior signs first

    result = cc_app.test_cli_runner().invoke(args=["cascade", "issue", SCH])
    assert result.exit_code == 0, result.output
    assert f"({len(rows)} already issued)" in result.output
    denied = cc_app.test_cli_runner().invoke(args=["cascade", "issue", SCH, "--by", teacher_sid])
    assert denied.exit_code == 2
