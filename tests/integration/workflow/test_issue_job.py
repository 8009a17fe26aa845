"""The campaign issue as a job (``jobs.issuing``), run synchronously: all or nothing, progress
reported per agreement, the job row closed with the issue's outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from responsibility.agreements import PdfStore
from responsibility.jobs.errors import CampaignFrozen
from responsibility.jobs.issuing import ISSUE, queue_issue, run_issue
from responsibility.models import Agreement, AuditEvent, BatchJob, Campaign


def _run(app, session, campaign_id: int, *, allow_missing: bool, steps: list) -> BatchJob:  # type: ignore[no-untyped-def,type-arg]
    campaign = session.get(Campaign, campaign_id)
    job = queue_issue(session, campaign, actor="test", allow_missing=allow_missing)
    session.commit()
    return run_issue(
        session, job.id, lambda s: None, storage=PdfStore(Path(app.instance_path) / "agreements"),
        template_root=Path(app.root_path).parent / "pdf_templates", allow_missing=allow_missing,
        today=dt.date(2024, 11, 15), on_step=lambda done, total: steps.append((done, total)),
    )  # fmt: skip


def test_an_issue_job_issues_everything_or_nothing(demo_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign_id = make_campaign("SCH001", "SCH002", "SCH003")
    with demo_app.app_context():
        session = db.session
        steps: list[tuple[int, int]] = []
        refused = _run(demo_app, session, campaign_id, allow_missing=False, steps=steps)
        assert refused.kind == ISSUE and refused.state == "failed" and "no agreement for" in refused.message
        states = set(session.scalars(select(Agreement.state).where(Agreement.campaign_id == campaign_id)))
        assert states == {"draft"} and session.get(Campaign, campaign_id).state == "draft"  # nothing issued
        assert steps == []

        done = _run(demo_app, session, campaign_id, allow_missing=True, steps=steps)
        assert done.state == "finished" and done.done == done.total == 3 and done.message is None
        assert steps == [(1, 3), (2, 3), (3, 3)]
        states = set(session.scalars(select(Agreement.state).where(Agreement.campaign_id == campaign_id)))
        assert states == {"issued"} and session.get(Campaign, campaign_id).state == "issued"
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject == f"batch:{done.id}")).all()
        assert actions == ["batch.queued", "batch.finished"]
        with pytest.raises(CampaignFrozen):
            queue_issue(session, session.get(Campaign, campaign_id), actor="test", allow_missing=True)
        session.rollback()
        session.remove()
