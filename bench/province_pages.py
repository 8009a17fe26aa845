"""The pages of the province bench (issue 16): the campaign, the signing board, the gap report,
the season board, the hazard ledger (its first page, and a filtered second one) and a school
head's signing inbox, requested through the app (Flask's test client: routing, login, queries,
templates; no network) as a bureau administrator, an auditor and that school head, at the
province's size.

Each request runs in an app context of its own, as in a server: the bench holds an app context
(and its session and ``g``) of its own, which a request would otherwise reuse. Each page is
requested once to warm the caches, then ``ROUNDS`` times; the median is reported. A page whose
warm-up took longer than ``SLOW_PAGE`` seconds is timed once more only (at 20,000 schools a page that
lists every school takes minutes, and five more rounds of it measure nothing new).
A page that does not answer 200 stops the bench (a figure of an error page means nothing).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

ROUNDS = 5
SLOW_PAGE = 5.0
PASSWORD = "bench-Passw0rd-9137"


def clients(app: Any, db: Any) -> dict[str, Any]:
    """Test clients logged in as a new administrator, a new auditor and a school head (committed
    accounts)."""
    from responsibility.accounts.service import create_admin, create_auditor

    create_admin(db.session, username="bench-admin", display_name="基准管理员", password=PASSWORD, actor="bench")
    auditor = create_auditor(
        db.session, username="bench-audit", display_name="基准审计", password=PASSWORD, actor="bench"
    )
    auditor.must_change_password = False  # a new auditor is sent to the password form first
    head = head_account(db.session)
    db.session.commit()
    found = {}
    for role, username in (("admin", "bench-admin"), ("auditor", "bench-audit"), ("head", head)):
        client = app.test_client()
        with app.app_context():
            response = client.post("/login", data={"username": username, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"login as {username} answered {response.status_code}")
        found[role] = client
    return found


def head_account(session: Any) -> str:
    """An account for the party secretary (S01) of the school of the last issued school agreement
    (by document number), whose agreement waits in the inbox for the signature: a school head's
    view of a province. Its username."""
    from province_signing import holder
    from sqlalchemy import select

    from responsibility.accounts.passwords import set_password
    from responsibility.clock import DEFAULT_ZONE, today
    from responsibility.models import KIND_PERSON, Agreement, User
    from responsibility.models.agreements import AGREEMENT_ISSUED, AGREEMENT_KIND_SCHOOL

    school_id = session.scalar(
        select(Agreement.school_id)
        .where(Agreement.kind == AGREEMENT_KIND_SCHOOL, Agreement.state == AGREEMENT_ISSUED)
        .order_by(Agreement.document_number.desc())
        .limit(1)
    )
    person = holder(session, school_id, "S01", today(DEFAULT_ZONE)) if school_id is not None else None
    if person is None:
        raise SystemExit("no issued school agreement with a party secretary on the day: no inbox to time")
    user = session.scalars(select(User).where(User.person_id == person.id)).first()
    if user is None:  # the import made no account for this person: make one
        user = User(
            username=f"bench-{person.source_id}", display_name=person.name, kind=KIND_PERSON, person_id=person.id
        )
        session.add(user)
    set_password(user, PASSWORD, must_change=False)
    return str(user.username)


def time_pages(app: Any, db: Any, campaign_id: int) -> list[tuple[str, float, int]]:
    """``(page, median seconds, bytes)`` for each page at the province's size."""
    logged_in = clients(app, db)
    pages = [
        ("admin", f"/campaigns/{campaign_id}"),
        ("admin", f"/sign/board/{campaign_id}"),
        ("admin", f"/season?campaign={campaign_id}"),
        ("admin", "/hazards"),
        ("admin", "/hazards?overdue=1&page=2"),
        ("head", "/sign/inbox"),
        ("auditor", f"/audit/gaps?campaign={campaign_id}"),
        ("auditor", f"/audit/gaps?campaign={campaign_id}&check=G2&page=2"),
    ]
    rows = []
    for role, path in pages:
        client = logged_in[role]
        times, size, slow = [], 0, False
        for round_ in range(ROUNDS + 1):
            t0 = time.perf_counter()
            with app.app_context():  # one per request, as in a server (the bench's own is not shared)
                response = client.get(path)
            elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                raise SystemExit(
                    f"GET {path} as {role} answered {response.status_code} {response.headers.get('Location', '')}"
                )
            size = len(response.data)
            if round_:
                times.append(elapsed)
            slow = slow or elapsed > SLOW_PAGE
            if slow and times:
                break
        rows.append((path, statistics.median(times), size))
    return rows
