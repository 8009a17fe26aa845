"""Two accounts with the same name are told apart by school and post where people are listed."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from responsibility.models import Person, User


def test_the_account_list_tells_two_people_of_the_same_name_apart(demo_app, demo_login) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with demo_app.app_context():
        name = db.session.scalar(select(Person.name).where(Person.source_id == "P00027"))
        db.session.execute(update(Person).where(Person.source_id == "P00028").values(name=name))
        db.session.execute(update(User).where(User.username == "P00028").values(display_name=name))
        db.session.commit()
        db.session.remove()
    html = demo_login("admin").get(f"/admin/users?q={name}").get_data(as_text=True)
    rows = re.findall(r"<td>" + re.escape(name) + r'<br><small class="affiliation">([^<]+)</small></td>', html)
    assert len(rows) == 2 and rows[0] != rows[1], rows
    assert all("岚川县第一高级中学 · " in row for row in rows)  # the school, then each one's own post
