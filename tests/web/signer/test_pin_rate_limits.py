"""The PIN-guarded POSTs are rate limited per account and address (issue 15, item 1); the test
app disables rate limits (``support.make_app``), so this one enables them."""

from __future__ import annotations

from pathlib import Path

from fixtures.instance_pki import install_pki
from sqlalchemy import select
from support import DEMO_PASSWORD, make_app

from responsibility.accounts.passwords import set_password
from responsibility.extensions import db
from responsibility.models import User


def _accounts(app, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        users = db.session.scalars(select(User).where(User.person_id.is_not(None)).order_by(User.id).limit(count)).all()
        for user in users:
            set_password(user, DEMO_PASSWORD, must_change=False)
        db.session.commit()
        return [u.username for u in users]


def test_sign_and_enrol_posts_are_rate_limited_per_account(  # type: ignore[no-untyped-def]
    demo_database_url: str, tmp_path: Path, instance_pki_template
) -> None:
    app = make_app(
        demo_database_url, tmp_path / "rl", RATELIMIT_ENABLED=True, SIGN_RATE_LIMIT="2 per minute",
        ENROL_RATE_LIMIT="2 per minute", LOGIN_RATE_LIMIT="100 per minute",
    )  # fmt: skip
    try:
        install_pki(instance_pki_template, app.instance_path)
        first, second = _accounts(app, 2)
        clients = {}
        for name in (first, second):
            clients[name] = app.test_client()
            assert clients[name].post("/login", data={"username": name, "password": DEMO_PASSWORD}).status_code == 302
        one = clients[first]
        signs = [one.post("/sign/1", data={"pin": "000001", "confirm": "y"}).status_code for _ in range(3)]
        assert 429 not in signs[:2] and signs[2] == 429
        enrols = [one.post("/pki/enrol", data={"pin": "1"}).status_code for _ in range(3)]
        assert 429 not in enrols[:2] and enrols[2] == 429
        assert one.get("/sign/inbox").status_code == 200  # only the POSTs are limited
        # Another account from the same address has its own budget.
        assert clients[second].post("/sign/1", data={"pin": "000001", "confirm": "y"}).status_code != 429
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
