"""Parsing untrusted files in worker processes, under a time limit.

A hostile PDF can make a parser spin (circular structures, pathological xref chains). The analysis
therefore runs in a pool of worker processes started by a fork server (never forked from a
threaded web server), and inside the worker an interval timer interrupts it after
``Limits.time_limit`` seconds with an exception that ``except Exception`` in library code cannot
swallow. As a backstop, the caller stops waiting after twice the limit (plus some slack),
kills the pool and starts a fresh one; requests wait for a free worker before that clock starts. Either way the answer is ``unreadable`` (``time_limit``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from responsibility.library_logs import quiet_library_logs, verbose_requested
from responsibility.verify.facts import PdfFacts
from responsibility.verify.inspect import inspect_pdf
from responsibility.verify.reasons import reason
from responsibility.verify.settings import Limits, TrustConfig

__all__ = ["inspect_isolated", "shutdown_pool"]

_BACKSTOP_SLACK = 5.0
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_slots: threading.BoundedSemaphore | None = None


class _TimeLimit(BaseException):
    """Raised by the timer inside the worker; a BaseException so broad handlers let it through."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _TimeLimit


def _timed_inspect(data: bytes, trust: TrustConfig, limits: Limits) -> PdfFacts:
    """The worker's entry point: :func:`inspect_pdf` with an interval timer."""
    import hashlib

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limits.time_limit)
    try:
        return inspect_pdf(data, trust, limits)
    except _TimeLimit:
        return PdfFacts(sha256=hashlib.sha256(data).hexdigest(), size=len(data), unreadable=reason("time_limit"))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _workers() -> int:
    configured = os.environ.get("RESPONSIBILITY_VERIFY_WORKERS")
    return max(1, int(configured)) if configured and configured.isdigit() else max(1, os.cpu_count() or 1)


def _get_slots() -> threading.BoundedSemaphore:
    """One slot per worker process: a request only submits when a worker is free, so the backstop
    timer measures the analysis, not the time spent queueing behind other requests."""
    global _slots
    with _lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(_workers())
        return _slots


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["responsibility.verify.worker"])
            _pool = ProcessPoolExecutor(
                max_workers=_workers(),
                mp_context=context,
                initializer=quiet_library_logs,
                initargs=(verbose_requested(),),
            )
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Kill a pool that holds a stuck or dead worker; the next call starts a fresh one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, ValueError):  # already gone
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown_pool() -> None:
    """Stop the worker processes (tests and benchmarks call this at exit; optional)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def inspect_isolated(data: bytes, trust: TrustConfig, limits: Limits) -> PdfFacts:
    """:func:`inspect_pdf` in a worker process, bounded by ``limits.time_limit``."""
    import hashlib

    def failed(code: str) -> PdfFacts:
        return PdfFacts(sha256=hashlib.sha256(data).hexdigest(), size=len(data), unreadable=reason(code))

    slots = _get_slots()
    if not slots.acquire(timeout=10 * limits.time_limit + 60):
        return failed("busy")
    try:
        return _submit(data, trust, limits, failed)
    finally:
        slots.release()


def _submit(data: bytes, trust: TrustConfig, limits: Limits, failed: Callable[[str], PdfFacts]) -> PdfFacts:
    for attempt in range(2):
        pool = _get_pool()
        try:
            future = pool.submit(_timed_inspect, data, trust, limits)
        except (BrokenProcessPool, RuntimeError):  # a pool broken by an earlier request: start over once
            _discard(pool)
            if attempt:
                return failed("worker_failed")
            continue
        try:
            return future.result(timeout=2 * limits.time_limit + _BACKSTOP_SLACK)
        except FutureTimeout:
            _discard(pool)
            return failed("time_limit")
        except BrokenProcessPool:
            _discard(pool)
            return failed("worker_failed")
    return failed("worker_failed")
