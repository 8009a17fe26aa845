"""Issue 16: on RQ the bureau's internal agreements are issued by a batch of chunks of their own
after the school chunks (the closing school chunk used to render them all alone). Every bureau
link gets exactly one certified agreement, a retried chunk issues nothing twice, and the chunk
that closes the batch appends the campaign's one ``campaign.bureau_issued`` event."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from responsibility.agreements import PdfStore
from responsibility.agreements.bureau_facts import bureau_facts
from responsibility.agreements.bureau_links import compose_bureau_links
from responsibility.agreements.certification import certification_for_issue
from responsibility.agreements.parameters import data_day
from responsibility.instance import instance_of
from responsibility.jobs.bureau_chunks import plan_bureau_issue, run_bureau_chunk, unplanned_bureau_job
from responsibility.jobs.issue_chunks import check_issue_chunk, plan_issue, run_issue_chunk
from responsibility.jobs.issuing import queue_issue
from responsibility.models import Agreement, AgreementRevision, AuditEvent, BatchJob, Campaign
from responsibility.models.agreements import JOB_FINISHED
from responsibility.pdf.template import DEFAULT_ROOT

DAY = dt.date(2024, 11, 15)


def test_the_bureau_agreements_are_issued_in_chunks_after_the_schools_once_each(wf_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign_id = make_campaign("SCH001", "SCH002")
    with wf_app.app_context():
        session = db.session
        campaign = session.get_one(Campaign, campaign_id)
        issue = queue_issue(session, campaign, actor="test", allow_missing=True, backend="rq")
        session.commit()
        store = PdfStore(instance_of(wf_app).settings.storage.agreements_dir)
        certify = certification_for_issue(session, instance_of(wf_app))
        session.commit()
        (seq,) = plan_issue(session, issue.id, template_root=DEFAULT_ROOT, allow_missing=True, today=DAY)
        assert check_issue_chunk(session, issue.id, seq, template_root=DEFAULT_ROOT, today=DAY) == "released"
        outcome = run_issue_chunk(
            session, issue.id, seq, certify=certify, storage=store, template_root=DEFAULT_ROOT, today=DAY,
            bureau_later=True,
        )  # fmt: skip
        assert outcome == "closed" and session.get_one(Campaign, campaign_id).state == "issued"
        bureau_id = unplanned_bureau_job(session, campaign_id)
        assert bureau_id is not None and session.get_one(BatchJob, bureau_id).kind == "bureau_issue"
        bureau_count = select(func.count(Agreement.id)).where(
            Agreement.campaign_id == campaign_id, Agreement.kind == "bureau"
        )
        assert session.scalar(bureau_count) == 0  # nothing rendered in the closing school chunk

        seqs = plan_bureau_issue(session, bureau_id, today=DAY, size=4)
        assert len(seqs) > 1 and plan_bureau_issue(session, bureau_id, today=DAY, size=4) == seqs
        assert unplanned_bureau_job(session, campaign_id) is None  # planned: never enqueued again

        def run(n: int) -> str:
            return run_bureau_chunk(
                session, bureau_id, n, certify=certify, storage=store, template_root=DEFAULT_ROOT, today=DAY
            )

        outcomes = [run(n) for n in seqs]
        assert outcomes[-1] == "closed" and set(outcomes[:-1]) == {"done"}
        assert run(seqs[0]) == "skipped"  # a retried chunk writes nothing

        facts = bureau_facts(session, data_day(campaign, DAY))
        links = compose_bureau_links(facts.chief, facts.leaders, facts.liaisons)
        agreements = session.scalars(
            select(Agreement).where(Agreement.campaign_id == campaign_id, Agreement.kind == "bureau")
        ).all()
        pairs = {(a.superior_person_id, a.holder_person_id) for a in agreements}
        expected = {(facts.persons[x.superior.source_id].id, facts.persons[x.holder.source_id].id) for x in links}
        assert len(agreements) == len(links) and pairs == expected and {a.state for a in agreements} == {"issued"}
        for agreement in agreements:
            kinds = session.scalars(
                select(AgreementRevision.kind).where(AgreementRevision.agreement_id == agreement.id)
            ).all()
            assert list(kinds).count("certified") == 1
        row = session.get_one(BatchJob, bureau_id)
        assert (row.state, row.done, row.total) == (JOB_FINISHED, row.total, row.total) and row.total > 0
        announced = session.scalars(
            select(AuditEvent.data).where(
                AuditEvent.action == "campaign.bureau_issued", AuditEvent.subject == f"campaign:{campaign_id}"
            )
        ).all()
        assert len(announced) == 1
        assert sorted(announced[0]["issued"]) == sorted(a.document_number for a in agreements)
        session.remove()
