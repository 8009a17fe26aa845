"""An app with the instance PKI installed, and persons to enrol (integration tests of pki/)."""

from __future__ import annotations

import pytest
from fixtures.instance_pki import install_pki
from sqlalchemy.orm import Session

from responsibility.models import Person, School


@pytest.fixture
def pki_app(app, instance_pki_template):  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, app.instance_path)
    return app


@pytest.fixture
def pki(pki_app):  # type: ignore[no-untyped-def]
    from responsibility.pki.instance import load_instance_pki

    return load_instance_pki(pki_app.instance_path, pki_app.config)


@pytest.fixture
def school_people(session: Session, pki_app) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    """A school with its principal and party secretary, and a bureau clerk without an org."""
    school = School(source_id="SCH-T1", name="测试县第一中学")
    session.add(school)
    session.flush()
    people = {
        "principal": Person(source_id="P-T01", name="王校长", org_id=school.id),
        "secretary": Person(source_id="P-T02", name="李书记", org_id=school.id),
        "clerk": Person(source_id="P-T03", name="赵干事"),
    }
    session.add_all(people.values())
    session.commit()
    return people
