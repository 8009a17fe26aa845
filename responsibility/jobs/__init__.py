"""The entry layer for background work, beside ``web`` and ``cli``: batch drivers and the units
of work that commit.

Services never commit; views, commands and the drivers here do. A batch driver commits after
each item so its progress (kept in a ``BatchJob`` row) is visible and one refusal does not undo
the others: generation of a campaign's agreements (:mod:`.batches`, on RQ workers when Redis is
configured, in a thread of this process otherwise) and countersigning (:mod:`.countersign`,
always in a thread: the unlocked key stays in this process). :mod:`.transactions` holds the
commits the web, the CLI and the drivers share (``commit_with_retry``, ``unlock_and_commit``).
``queue_*`` functions only record a job: their caller commits. No Flask here: settings come in
as ``JobSettings``."""

from .batches import (
    ABANDONED_AFTER,
    GENERATE,
    JobSettings,
    active_job,
    fail_undispatched,
    queue_generation,
    run_generation,
)
from .dispatch import DEFAULT_QUEUE, Dispatcher, RqDispatcher, ThreadDispatcher, dispatcher_for

__all__ = [
    "ABANDONED_AFTER",
    "DEFAULT_QUEUE",
    "GENERATE",
    "Dispatcher",
    "JobSettings",
    "RqDispatcher",
    "ThreadDispatcher",
    "active_job",
    "dispatcher_for",
    "fail_undispatched",
    "queue_generation",
    "run_generation",
]
