"""Batch countersigning: the bureau chief (or party secretary) picks N agreements, enters the PIN
once, and each is signed — each with its own RFC 3161 timestamp — while the ``BatchJob`` row
shows the progress.

**The unlocked key never leaves this process's memory.** It is not written to the database, to
disk or to Redis. Two runners hold it in a thread of the process that took the PIN:

- :class:`CountersignRunner` (no Redis): the thread does everything, one committed unit of work
  per agreement (``agreements.signing_flow.sign_agreement``, which never commits);
- :class:`RqCountersignRunner` (``REDIS_URL`` set): the RQ workers prepare each signature with
  the chief's certificate alone and complete it afterwards (:mod:`.countersign_chunks`); the
  thread only signs the prepared signed attributes, then drops the key.

This is a batch driver of the entry layer (``jobs``): it commits.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..agreements.signing_env import SigningEnvironment
from ..agreements.signing_flow import sign_agreement
from ..errors import BadInput, DomainError
from ..messages import N_, msg
from ..models import Agreement, AuditEvent, BatchJob, Campaign, CountersignItem, Person
from ..models.agreements import (
    AGREEMENT_KIND_SCHOOL,
    COUNTERSIGN_DONE,
    COUNTERSIGN_REFUSED,
    JOB_FAILED,
    JOB_FINISHED,
    JOB_QUEUED,
    JOB_RUNNING,
)
from ..models.base import utcnow
from ..pki.enrolment import UnlockedKey
from ..settings import MailSettings, Settings
from .batches import finish_job, record_queued, unexpected_error
from .countersign_chunks import (
    COUNTERSIGN_CHUNK_SIZE,
    plan_countersign,
    refusal_entry,
    sign_prepared_items,
    wait_until_prepared,
)
from .dispatch import RqDispatcher, dispatch_countersign_round
from .mail_outbox import deliver_pending, take_committed
from .transactions import commit_with_retry

__all__ = [
    "COUNTERSIGN",
    "MAX_BATCH",
    "BatchItem",
    "CountersignRunner",
    "RqCountersignRunner",
    "batch_items",
    "queue_countersign",
    "run_countersign",
]

COUNTERSIGN = "countersign"
MAX_BATCH = 500
_log = logging.getLogger(__name__)


def queue_countersign(
    session: Session, campaign: Campaign, agreement_ids: Sequence[int], *, actor: str, backend: str = "thread"
) -> BatchJob:
    """Record a countersign batch over ``agreement_ids`` (all of ``campaign``); the caller commits
    and then starts a :class:`CountersignRunner`."""
    ids = list(dict.fromkeys(int(i) for i in agreement_ids))
    if not ids:
        raise BadInput(N_("Select at least one agreement to countersign."))
    if len(ids) > MAX_BATCH:
        raise BadInput(N_("At most %(count)s agreements can be countersigned in one batch."), count=MAX_BATCH)
    found = set(
        session.scalars(
            select(Agreement.id).where(
                Agreement.id.in_(ids), Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL
            )
        )
    )
    if found != set(ids):
        raise BadInput(N_("Some of the selected agreements are not in this campaign."))
    return record_queued(
        session, kind=COUNTERSIGN, campaign_id=campaign.id, actor=actor, backend=backend, total=len(ids),
        data={"agreements": ids},
    )  # fmt: skip


@dataclass(frozen=True)
class BatchItem:
    """One agreement of a countersign batch, as its progress page names it."""

    agreement_id: int
    document_number: str
    school_name: str
    status: str
    """``signed``, ``refused`` or ``waiting``."""


def batch_items(session: Session, job: BatchJob) -> list[BatchItem]:
    """The agreements of ``job`` in the order they are signed, each with its outcome so far.

    The list is the one recorded when the batch was queued (its ``batch.queued`` audit event);
    the runner works through it in order, so the first ``done`` items are finished: refused when
    they are among the job's errors, else signed.
    """
    data = session.scalar(
        select(AuditEvent.data).where(AuditEvent.action == "batch.queued", AuditEvent.subject == f"batch:{job.id}")
    )
    ids = [int(i) for i in (data or {}).get("agreements", [])]
    refused = {int(e.get("agreement_id", 0)) for e in job.errors}
    rows = {a.id: a for a in session.scalars(select(Agreement).where(Agreement.id.in_(ids)))} if ids else {}
    # a batch on the RQ workers keeps each agreement's state (countersign_chunks)
    states = select(CountersignItem.agreement_id, CountersignItem.state).where(CountersignItem.job_id == job.id)
    on_workers: dict[int, str] = {agreement_id: state for agreement_id, state in session.execute(states)}
    items = []
    for position, agreement_id in enumerate(ids):
        agreement = rows.get(agreement_id)
        if on_workers:
            state = on_workers.get(agreement_id)
            status = "signed" if state == COUNTERSIGN_DONE else "refused" if state == COUNTERSIGN_REFUSED else "waiting"
        else:
            status = "waiting" if position >= job.done else "refused" if agreement_id in refused else "signed"
        items.append(
            BatchItem(
                agreement_id,
                agreement.document_number if agreement else "",
                agreement.school.name if agreement else "",
                status,
            )
        )
    return items


def run_countersign(
    session: Session,
    job_id: int,
    agreement_ids: Sequence[int],
    person_id: int,
    unlocked: UnlockedKey,
    env: SigningEnvironment,
    *,
    day: dt.date,
    on_step: Callable[[int], None] | None = None,
) -> BatchJob:
    """Sign each agreement in its own committed unit of work; a refusal (already signed, not its
    turn, a rejected revision, the TSA down) is recorded per agreement and the batch goes on."""
    job = session.get_one(BatchJob, job_id)
    if job.state != JOB_QUEUED:
        return job
    person = session.get_one(Person, person_id)
    job.state, job.started_at = JOB_RUNNING, utcnow()
    session.commit()
    actor = job.created_by
    try:
        for agreement_id in agreement_ids:
            try:
                commit_with_retry(
                    session,
                    functools.partial(
                        sign_agreement, session, env, agreement_id, person, unlocked, day=day, actor=actor
                    ),
                )
            except DomainError as exc:
                job.failed += 1
                job.errors = [*job.errors, refusal_entry(session, agreement_id, exc)]
            job.done += 1
            session.commit()
            if on_step is not None:
                on_step(job.done)
    except BaseException as exc:
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, unexpected_error(exc))
        raise
    finish_job(session, job_id, JOB_FINISHED, None)
    return session.get_one(BatchJob, job_id)


class _KeyHolder:
    """A countersign batch's thread with its own session on ``engine``: the unlocked key lives
    only in this object and the thread, and is dropped when the thread's work ends."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.thread: threading.Thread | None = None

    def start(self, job_id: int, agreement_ids: Sequence[int], person_id: int, unlocked: UnlockedKey) -> None:
        self.thread = threading.Thread(
            target=self._run, args=(job_id, list(agreement_ids), person_id, unlocked),
            name=f"countersign-{job_id}", daemon=True,
        )  # fmt: skip
        self.thread.start()

    def _run(self, job_id: int, agreement_ids: list[int], person_id: int, unlocked: UnlockedKey) -> None:
        with Session(bind=self.engine, expire_on_commit=False) as session:
            try:
                self._work(session, job_id, agreement_ids, person_id, unlocked)
            except Exception:
                _log.exception("countersign batch %s failed", job_id)
                session.rollback()
                job = session.get(BatchJob, job_id)
                if job is not None and job.state in (JOB_QUEUED, JOB_RUNNING):
                    finish_job(session, job_id, JOB_FAILED, msg(N_("the batch stopped on an unexpected error")))
            finally:
                del unlocked
            self._after(session)

    def _work(
        self, session: Session, job_id: int, agreement_ids: list[int], person_id: int, unlocked: UnlockedKey
    ) -> None:
        raise NotImplementedError

    def _after(self, session: Session) -> None:
        """What follows the batch in its thread, the key dropped."""

    def join(self, timeout: float | None = None) -> bool:
        if self.thread is None:
            return True
        self.thread.join(timeout)
        return not self.thread.is_alive()


class CountersignRunner(_KeyHolder):
    """Runs one countersign batch in a daemon thread (no Redis): every signature is made there;
    the notifications the batch committed are mailed at its end (``mail_outbox``)."""

    def __init__(
        self,
        engine: Engine,
        env_factory: Callable[[Session], SigningEnvironment],
        *,
        day: dt.date,
        mail: MailSettings | None = None,
    ) -> None:
        super().__init__(engine)
        self.env_factory = env_factory
        self.day = day
        self.mail = mail
        """Where the notifications of the batch are mailed after it (None: in-app only)."""

    def _work(
        self, session: Session, job_id: int, agreement_ids: list[int], person_id: int, unlocked: UnlockedKey
    ) -> None:
        env = self.env_factory(session)
        session.commit()
        run_countersign(session, job_id, agreement_ids, person_id, unlocked, env, day=self.day)

    def _after(self, session: Session) -> None:
        if self.mail is not None and take_committed(session):
            deliver_pending(self.engine, self.mail)


PREPARE_WAIT = 900.0
"""Seconds the thread holding the key waits for the workers to prepare a batch before it gives
up (nothing signed); a chunk job is retried for up to ``dispatch.CHUNK_RETRIES`` times its timeout."""


class RqCountersignRunner(_KeyHolder):
    """A countersign batch on the RQ workers (:mod:`.countersign_chunks`), started by the web
    process that took the PIN: its thread plans the batch, queues the preparation, waits for it,
    signs what was prepared with the key only it holds, drops the key and queues the completion;
    the workers record the signatures and the chunk that commits last closes the batch."""

    def __init__(
        self, engine: Engine, dispatcher: RqDispatcher, instance: Settings, *, day: dt.date, wait: float = PREPARE_WAIT
    ) -> None:
        super().__init__(engine)
        self.dispatcher, self.instance, self.day, self.wait = dispatcher, instance, day, wait

    def _work(
        self, session: Session, job_id: int, agreement_ids: list[int], person_id: int, unlocked: UnlockedKey
    ) -> None:
        job = session.get_one(BatchJob, job_id)
        if job.state != JOB_QUEUED:
            return
        size = min(COUNTERSIGN_CHUNK_SIZE, self.dispatcher.settings.chunk_size)
        seqs = plan_countersign(session, job, agreement_ids, size=size)
        job.state, job.started_at = JOB_RUNNING, utcnow()
        session.commit()
        der = serialization.Encoding.DER
        rounds = functools.partial(
            dispatch_countersign_round, self.dispatcher, job_id=job_id, seqs=seqs, instance=self.instance,
            person_id=person_id, certificate=unlocked.certificate.public_bytes(der),
            chain=[c.public_bytes(der) for c in unlocked.chain], day=self.day,
        )  # fmt: skip
        rounds("prepare")
        if not wait_until_prepared(session, job_id, timeout=self.wait):
            finish_job(
                session,
                job_id,
                JOB_FAILED,
                msg(N_("The workers did not prepare the batch in time: nothing was signed.")),
            )
            return
        sign_prepared_items(session, job_id, unlocked)
        rounds("complete")
