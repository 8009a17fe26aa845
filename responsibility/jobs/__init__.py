"""Background batches (generation of a campaign's agreements) with progress kept in the
database: on RQ workers when Redis is configured, in a thread of this process otherwise.
No Flask here: settings come in as ``JobSettings``."""

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
