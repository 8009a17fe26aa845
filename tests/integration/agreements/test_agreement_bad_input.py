"""Bad input: refused schools are listed with what they lack, the rest of the batch goes on, and
nothing half-written stays on disk or in the database; a broken template refuses the batch."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from agreement_tools import school
from sqlalchemy import delete, select, update

from responsibility.agreements import create_campaign, generate
from responsibility.audit.log import verify_chain
from responsibility.errors import BadInput
from responsibility.models import Agreement, AuditEvent, BatchJob, Grid, PostAssignment
from responsibility.pdf.template import DEFAULT_ROOT

VERSION = "winter_spring/2025-v1"


def _close_post(session, source_id: str, code: str) -> None:  # type: ignore[no-untyped-def]
    target = school(session, source_id)
    session.execute(
        update(PostAssignment)
        .where(PostAssignment.org_id == target.id, PostAssignment.post_code == code)
        .values(valid_to=dt.date(2024, 12, 1))
    )


def _drop_grids(session, source_id: str) -> None:  # type: ignore[no-untyped-def]
    target = school(session, source_id)
    session.execute(update(Grid).where(Grid.school_id == target.id).values(parent_id=None))
    session.execute(delete(Grid).where(Grid.school_id == target.id))


def test_refused_schools_are_listed_and_the_batch_goes_on(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    _close_post(demo_session, "SCH005", "S01")  # no principal
    _close_post(demo_session, "SCH006", "S02")  # no party secretary
    _drop_grids(demo_session, "SCH007")  # no grids
    school(demo_session, "SCH008").features = ["canteen", "swimming_pool"]  # unknown feature
    demo_session.commit()

    summary = generate(demo_session, campaign, storage=store, actor="test", workers=2)
    demo_session.commit()

    reasons = {f.school_id: f.message for f in summary.failures}
    assert sorted(reasons) == ["SCH005", "SCH006", "SCH007", "SCH008"]
    assert reasons["SCH005"] == "no 校长 on file"
    assert {f.school_name for f in summary.failures if f.school_id == "SCH005"} == {"岚川县实验小学"}
    assert "no 党组织书记 on file" in reasons["SCH006"]
    assert "no grids" in reasons["SCH007"]
    assert "unknown feature 'swimming_pool'" in reasons["SCH008"]
    assert len(summary.generated) == 56

    refused_ids = [school(demo_session, s).id for s in reasons]
    rows = demo_session.scalars(select(Agreement).where(Agreement.school_id.in_(refused_ids))).all()
    assert rows == []
    files = sorted(p.name for p in store.root.glob("*/*.pdf"))
    assert files == sorted(f"{a.pdf_sha256}.pdf" for a in demo_session.scalars(select(Agreement)))
    assert len(files) == 56 and store.stray_temporaries() == []
    event = demo_session.scalars(select(AuditEvent).where(AuditEvent.action == "campaign.generated")).one()
    assert {f["school_id"] for f in event.data["failures"]} == set(reasons)
    assert verify_chain(demo_session).ok


def test_failed_regeneration_keeps_the_previous_draft(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    target = school(demo_session, "SCH010")
    generate(demo_session, campaign, storage=store, actor="test", school=target)
    demo_session.commit()
    agreement = demo_session.scalars(select(Agreement).where(Agreement.school_id == target.id)).one()
    before = agreement.pdf_sha256
    _close_post(demo_session, "SCH010", "S01")
    demo_session.commit()

    summary = generate(demo_session, campaign, storage=store, actor="test", school=target)
    demo_session.commit()
    assert [f.school_id for f in summary.failures] == ["SCH010"]
    demo_session.refresh(agreement)
    assert agreement.pdf_sha256 == before and store.exists(before)
    assert "on file" in (agreement.last_error or "")


def _copy_template(tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "templates"
    shutil.copytree(DEFAULT_ROOT / "winter_spring", root / "winter_spring")
    return root, root / VERSION / "clauses.toml"


def _campaign_on(session, root):  # type: ignore[no-untyped-def]
    made = create_campaign(
        session,
        name="copied template",
        start=dt.date(2024, 11, 15),
        end=dt.date(2025, 4, 30),
        actor="test",
        base_url="https://anquan.example.cn",
        template_root=root,
    )
    session.commit()
    return made


def _break_condition(clauses) -> None:  # type: ignore[no-untyped-def]
    text = clauses.read_text(encoding="utf-8")
    assert '"school_bus"' in text
    clauses.write_text(text.replace('"school_bus"', '"hovercraft"', 1), encoding="utf-8")


def test_a_clause_condition_naming_an_unknown_feature_refuses_the_template(demo_session, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root, clauses = _copy_template(tmp_path)
    _break_condition(clauses)
    with pytest.raises(BadInput, match="unknown feature 'hovercraft'"):
        _campaign_on(demo_session, root)


def test_a_template_broken_after_creation_refuses_the_whole_batch(demo_session, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root, clauses = _copy_template(tmp_path)
    made = _campaign_on(demo_session, root)
    _break_condition(clauses)
    with pytest.raises(BadInput, match="unknown feature 'hovercraft'"):
        generate(demo_session, made, storage=store, actor="test", template_root=root)
    demo_session.rollback()
    assert demo_session.scalars(select(Agreement)).all() == []
    assert not store.root.exists() or list(store.root.rglob("*")) == []


def test_an_edited_template_no_longer_matches_its_campaign(demo_session, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root, clauses = _copy_template(tmp_path)
    made = _campaign_on(demo_session, root)
    clauses.write_text(clauses.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(BadInput, match="changed since campaign"):
        generate(demo_session, made, storage=store, actor="test", template_root=root)


def test_a_missing_template_version_is_refused(demo_session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput, match="no such template"):
        create_campaign(
            demo_session,
            name="x",
            start=dt.date(2024, 11, 15),
            end=dt.date(2025, 4, 30),
            template_version="winter_spring/1999-v9",
            actor="test",
            base_url="https://a.example.cn",
        )


def test_no_bureau_head_refuses_the_batch(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    demo_session.execute(
        update(PostAssignment).where(PostAssignment.post_code == "B01").values(valid_to=dt.date(2024, 12, 1))
    )
    demo_session.commit()
    with pytest.raises(BadInput, match="no bureau party secretary and chief"):
        generate(demo_session, campaign, storage=store, actor="test")
    demo_session.rollback()
    assert demo_session.scalars(select(Agreement)).all() == []
    assert demo_session.scalars(select(BatchJob)).all() == []
