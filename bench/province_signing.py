"""The signing half of the province bench (issue 16): school signatures, the chief's batch
countersign with the archive timestamps, and the cascade, on a sample of a province's schools.

These steps run in the bench's own process, as they run in the web process: each person's key
is unlocked by their PIN in the process that signs. The chief's countersign batch runs once in
the web process's thread (``jobs.countersign.CountersignRunner``) and once on the RQ workers
(``RqCountersignRunner``: prepared there, only the signed attributes signed here, completed
there), so the unlocked key never travels through Redis either way. Each function returns ``(name, items, wall s, CPU s)`` rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from typing import Any

PIN = "739184"

Row = tuple[str, int, float, float]


class Timer:
    """Wall and CPU seconds of one step."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def holder(session: Any, org_id: int | None, post: str, day: dt.date) -> Any:
    """The person holding ``post`` at ``org_id`` (any org when None) on ``day``, or None."""
    from sqlalchemy import select

    from responsibility.models import PostAssignment

    query = select(PostAssignment).where(
        PostAssignment.post_code == post,
        PostAssignment.valid_from <= day,
        (PostAssignment.valid_to.is_(None)) | (PostAssignment.valid_to > day),
    )
    if org_id is not None:
        query = query.where(PostAssignment.org_id == org_id)
    found = session.scalars(query.order_by(PostAssignment.id)).first()
    return found.person if found is not None else None


CountersignOnWorkers = Callable[[Any, list[int], Any, Any], Row]
"""``(job, agreement ids, chief, unlocked key) → row``: the batch run on the RQ workers."""


def sign_sample(
    db: Any, campaign_id: int, sample: int, cascade: int, day: dt.date, on_workers: CountersignOnWorkers | None = None
) -> list[Row]:
    """Sign the first ``sample`` school agreements of the campaign by both school heads, countersign
    them in the chief's batches (each countersignature adds the archive timestamp): the first half
    in this process's thread, the second half on the RQ workers when ``on_workers`` is given
    (prepared there, signed here, completed there); then issue the cascade of the first
    ``cascade`` of them; the timed rows."""
    from flask import current_app
    from sqlalchemy import select

    from responsibility.agreements.signers_required import BUREAU_STAGE, SCHOOL_STAGE, required_signers
    from responsibility.agreements.signing_flow import sign_agreement
    from responsibility.instance import instance_of
    from responsibility.jobs.countersign import queue_countersign, run_countersign
    from responsibility.jobs.transactions import commit_with_retry, unlock_and_commit
    from responsibility.models import Agreement, Campaign, Person
    from responsibility.models.agreements import AGREEMENT_KIND_SCHOOL
    from responsibility.pki.enrolment import enrol

    session = db.session
    instance = instance_of(current_app)
    pki = instance.pki
    candidates = session.scalars(
        select(Agreement)
        .where(Agreement.campaign_id == campaign_id, Agreement.kind == AGREEMENT_KIND_SCHOOL)
        .order_by(Agreement.document_number)
    ).all()
    heads: dict[int, list[Any]] = {}
    agreements, chief = [], None
    for agreement in candidates:  # those whose every signer is known (the demo plants schools without)
        plan = required_signers(session, agreement, day, store=instance.store)
        school = [s for s in plan.signatures if s.stage == SCHOOL_STAGE]
        bureau = [s for s in plan.signatures if s.stage == BUREAU_STAGE]
        if not school or any(s.person_id is None for s in school + bureau) or len(bureau) != 1:
            continue
        heads[agreement.id] = [session.get_one(Person, pid) for pid in dict.fromkeys(s.person_id for s in school)]
        chief = session.get_one(Person, bureau[0].person_id)
        agreements.append(agreement)
        if len(agreements) == sample:
            break
    if chief is None:
        raise SystemExit("no school agreement of the campaign has every signer known")
    people = {p.id: p for ps in heads.values() for p in ps} | {chief.id: chief}
    rows: list[Row] = []

    with Timer() as t:
        for who in people.values():
            enrol(session, pki, who, PIN, actor="bench")
            session.commit()
    rows.append(("enrol (key + certificate)", len(people), t.wall, t.cpu))

    env = instance.signing_environment(session)
    signatures = 0
    with Timer() as t:
        for agreement in agreements:
            for who in heads[agreement.id]:
                unlocked = unlock_and_commit(session, who, PIN, pki=pki)
                work = functools.partial(
                    sign_agreement, session, env, agreement.id, who, unlocked, day=day, actor="bench"
                )
                commit_with_retry(session, work)
                signatures += 1
    rows.append(("school signatures (PIN, PAdES+TS)", signatures, t.wall, t.cpu))

    campaign = session.get_one(Campaign, campaign_id)
    ids = [a.id for a in agreements]
    here = ids[: len(ids) // 2] if on_workers is not None else ids
    job = queue_countersign(session, campaign, here, actor="bench")
    session.commit()
    with Timer() as t:
        unlocked = unlock_and_commit(session, chief, PIN, pki=pki)
        done = run_countersign(session, job.id, here, chief.id, unlocked, env, day=day)
    if done.failed:
        raise SystemExit(f"countersign: {done.failed} refused: {done.errors[:2]}")
    rows.append(("countersign + archive TS (web thread)", done.done, t.wall, t.cpu))
    if on_workers is not None:
        there = ids[len(here) :]
        job = queue_countersign(session, campaign, there, actor="bench", backend="rq")
        session.commit()
        rows.append(on_workers(job, there, chief, unlock_and_commit(session, chief, PIN, pki=pki)))
    archived = session.scalars(select(Agreement.state).where(Agreement.id.in_(ids))).all()
    if set(archived) != {"archived"}:
        raise SystemExit(f"after the countersign the sample is {sorted(set(archived))}, not archived")

    rows.append(issue_cascade_sample(session, instance, agreements[:cascade], day))
    return rows


def issue_cascade_sample(session: Any, instance: Any, agreements: list[Any], day: dt.date) -> Row:
    """Issue the cascade (the post agreements, certified) of each agreement's school, as its
    principal; one timed row counting the post agreements issued."""
    from responsibility.agreements import PdfStore
    from responsibility.agreements.cascade import issue_cascade
    from responsibility.agreements.certification import certification_for_issue

    certify = certification_for_issue(session, instance)
    session.commit()
    store = PdfStore(instance.settings.storage.agreements_dir)
    issued = 0
    with Timer() as t:
        for agreement in agreements:
            school = agreement.school
            summary = issue_cascade(
                session, school, storage=store, certify=certify, actor="bench", day=day,
                issuer=holder(session, school.id, "S01", day),
            )  # fmt: skip
            session.commit()
            issued += len(summary.issued)
    return (f"cascade issue ({len(agreements)} schools)", issued, t.wall, t.cpu)
