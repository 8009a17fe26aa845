"""Where a queued batch runs: a background thread of this process, or an RQ worker.

The web layer and the CLI pick one with :func:`dispatcher_for`: RQ when a Redis URL is
configured (a province-sized deployment runs ``flask jobs worker`` processes on any number of
machines), else a thread beside the web server. The thread runs
:func:`~responsibility.jobs.batches.run_generation`; on RQ the batch is cut into chunks
(:mod:`.chunks`) run by every worker. Both publish progress only through the job row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from dataclasses import asdict, replace
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..board.season import BoardDay
from ..chain.gaps.snapshots import season_key
from ..settings import DEFAULT_QUEUE, Settings
from .batches import JobSettings, run_generation
from .errors import QueueUnavailable

__all__ = [
    "CHUNK_JOB_TIMEOUT",
    "CHUNK_RETRIES",
    "DEFAULT_QUEUE",
    "Dispatcher",
    "RqDispatcher",
    "ThreadDispatcher",
    "batch_job_id",
    "dispatch_countersign_round",
    "dispatch_issue",
    "dispatcher_for",
    "database_tag",
    "queue_board_refresh",
    "queue_gap_refresh",
    "queue_once",
]

_log = logging.getLogger(__name__)

CHUNK_RETRIES = 3
"""Attempts after the first for a chunk whose worker died or hit an unexpected error."""
CHUNK_JOB_TIMEOUT = 300
"""Seconds a chunk or check job may run (a chunk of 25 agreements takes 5-15 s on one core). It
also bounds how long the chunk of a worker that died waits before its retry: a ``SimpleWorker``
does not heartbeat during a job, so RQ treats the job as abandoned only once its timeout + 60 s
have passed (at 900 s, a worker killed in a bench run left its chunk waiting 16 minutes)."""


class Dispatcher(Protocol):
    backend: str

    def dispatch(self, job_id: int) -> None: ...


class ThreadDispatcher:
    """Runs each job in a daemon thread with its own session on ``engine``."""

    backend = "thread"

    def __init__(self, engine: Engine, settings: JobSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.threads: dict[int, threading.Thread] = {}

    def dispatch(self, job_id: int) -> None:
        thread = threading.Thread(target=self._run, args=(job_id,), name=f"batch-{job_id}", daemon=True)
        self.threads[job_id] = thread
        thread.start()

    def _run(self, job_id: int) -> None:
        with Session(bind=self.engine, expire_on_commit=False) as session:
            try:
                run_generation(session, job_id, self.settings)
            except Exception:
                _log.exception("batch %s failed", job_id)

    def join(self, job_id: int, timeout: float | None = None) -> bool:
        """Wait for the job's thread; True when it has ended."""
        thread = self.threads.get(job_id)
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()


class RqDispatcher:
    """Enqueues ``responsibility.jobs.tasks.plan_generation_task`` on an RQ queue: it cuts the
    batch into chunks that every worker of the queue shares (:mod:`.chunks`)."""

    backend = "rq"

    def __init__(self, redis_url: str, settings: JobSettings, queue: str = DEFAULT_QUEUE) -> None:
        self.redis_url = redis_url
        self.settings = settings
        self.queue_name = queue

    def queue(self):  # type: ignore[no-untyped-def]
        from redis import Redis
        from rq import Queue

        return Queue(self.queue_name, connection=Redis.from_url(self.redis_url))

    def dispatch(self, job_id: int) -> None:
        self.queue().enqueue(
            "responsibility.jobs.tasks.plan_generation_task",
            job_id,
            asdict(self.settings),
            job_id=batch_job_id(self.settings.database_url, job_id),
            job_timeout=3600,
            result_ttl=86400,
            failure_ttl=7 * 86400,
        )


def dispatch_issue(
    dispatcher: RqDispatcher, job_id: int, instance: Settings, *, allow_missing: bool, today: dt.date
) -> None:
    """Enqueue the planner of issue batch ``job_id`` (:mod:`.issue_chunks`). The instance settings
    travel without the PKI secret (a worker reads its own, see ``tasks._instance``)."""
    carried = replace(instance, trust=replace(instance.trust, pki_secret=None))
    dispatcher.queue().enqueue(
        "responsibility.jobs.tasks.plan_issue_task", job_id, asdict(dispatcher.settings), carried, allow_missing,
        today.isoformat(), job_id=batch_job_id(dispatcher.settings.database_url, job_id), job_timeout=3600, result_ttl=86400,
        failure_ttl=7 * 86400,
    )  # fmt: skip


def dispatch_countersign_round(
    dispatcher: RqDispatcher, round_: str, job_id: int, seqs: list[int], instance: Settings, *,
    person_id: int, certificate: bytes, chain: list[bytes], day: dt.date,
) -> None:  # fmt: skip
    """One RQ job per chunk of countersign batch ``job_id`` for ``round_`` (``prepare`` or
    ``complete``, :mod:`.countersign_chunks`), retried like every chunk job; the countersigner's
    certificate and chain travel (public), the key never does."""
    from rq import Retry

    carried = replace(instance, trust=replace(instance.trust, pki_secret=None))
    task = f"responsibility.jobs.tasks.{round_}_countersign_task"
    queue = dispatcher.queue()
    for seq in seqs:
        queue.enqueue(
            task, job_id, seq, asdict(dispatcher.settings), carried, person_id, certificate, chain, day.isoformat(),
            job_id=batch_job_id(dispatcher.settings.database_url, job_id, seq, round_), retry=Retry(max=CHUNK_RETRIES),
            job_timeout=CHUNK_JOB_TIMEOUT,
            result_ttl=86400, failure_ttl=7 * 86400,
        )  # fmt: skip


def dispatcher_for(
    *, redis_url: str | None, engine: Engine, settings: JobSettings, queue: str = DEFAULT_QUEUE
) -> Dispatcher:
    """RQ when ``redis_url`` is set, else a background thread."""
    if redis_url:
        return RqDispatcher(redis_url, settings, queue)
    return ThreadDispatcher(engine, settings)


def queue_gap_refresh(
    redis_url: str,
    queue: str,
    database_url: str,
    *,
    at: dt.date,
    campaign_id: int | None,
    live_campaign: bool,
    actor: str,
) -> bool:
    """Enqueue ``tasks.refresh_gaps_task`` for one day and season choice (see :func:`queue_once`)."""
    choice = season_key(campaign_id, live_campaign=live_campaign).replace(":", "-")
    return queue_once(
        redis_url, queue, _refresh_id(database_url, "gaps", at, choice), "responsibility.jobs.tasks.refresh_gaps_task",
        database_url, at.isoformat(), campaign_id, live_campaign, actor,
    )  # fmt: skip


def queue_board_refresh(
    redis_url: str, queue: str, database_url: str, *, campaign_id: int, day: BoardDay, actor: str
) -> bool:
    """Enqueue ``tasks.refresh_board_task`` for one campaign and day (see :func:`queue_once`)."""
    return queue_once(
        redis_url, queue, _refresh_id(database_url, "board", day.at, str(campaign_id)),
        "responsibility.jobs.tasks.refresh_board_task", database_url, campaign_id, day, actor,
    )  # fmt: skip


def database_tag(database_url: str) -> str:
    """A short name of the database for RQ ids: instances may share one Redis."""
    return hashlib.sha256(database_url.encode()).hexdigest()[:12]


def batch_job_id(database_url: str, job_id: int, *parts: object) -> str:
    """The RQ job id of batch ``job_id``'s planner, or with ``parts`` of one of its chunk jobs:
    stable, so enqueuing one twice never runs it twice at once, and tagged with the database,
    since batch ids repeat across instances (and test databases) that share one Redis."""
    return "-".join(["responsibility", database_tag(database_url), "batch", str(job_id), *map(str, parts)])


def _refresh_id(database_url: str, kind: str, at: dt.date, choice: str) -> str:
    return f"responsibility-{kind}-{database_tag(database_url)}-{at.isoformat()}-{choice}"


def queue_once(redis_url: str, queue: str, job_id: str, task: str, *args: Any) -> bool:
    """Enqueue ``task`` as RQ job ``job_id``; False when that job is already queued or running
    (the id names the database, the report and its day), so a second click does not compute a
    stored report twice. Raises :class:`QueueUnavailable` when Redis cannot be reached."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    connection = Redis.from_url(redis_url)
    try:
        try:
            if Job.fetch(job_id, connection=connection).get_status(refresh=True) in ("queued", "started", "deferred"):
                return False
        except NoSuchJobError:
            pass
        Queue(queue, connection=connection).enqueue(
            task, *args, job_id=job_id, job_timeout=3600, result_ttl=3600, failure_ttl=7 * 86400
        )
    except RedisError as err:
        raise QueueUnavailable("the job queue cannot be reached: %(reason)s", reason=str(err)) from err
    return True
