"""The RQ workers of the province bench (issue 16): real ``rq worker`` subprocesses (``SimpleWorker``,
as ``flask jobs worker`` starts them) on a queue of the bench's own, their CPU from ``wait4`` and
their peak RSS from ``/proc``, and a replacement for a worker that dies mid-batch."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
"""A Redis database of its own: a worker of another suite on a shared server never takes its jobs."""
MAX_RESTARTS = 3
"""Workers the bench replaces in one step before it gives up."""


def say(text: str) -> None:
    print(text, flush=True)


@dataclass
class Worker:
    """One ``rq worker`` subprocess, its log file, and its resource usage once it has ended."""

    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    usage: Any = None
    peak_kb: int = 0
    """The process's own peak RSS (``VmHWM``), read while it runs. ``wait4``'s ``ru_maxrss`` is not
    it: a child forked from the bench keeps the bench's RSS of the moment of the fork as its high
    mark (1.8 GB for every worker at 6,000 schools, the bench's size after building the province)."""

    def sample(self) -> None:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))

    def reap(self, *, block: bool) -> bool:
        """Collect the ended process (its CPU and peak RSS from ``wait4``); False while it runs."""
        pid, status, usage = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        self.proc.returncode, self.usage = os.waitstatus_to_exitcode(status), usage
        return True

    def crash_report(self) -> str:
        """What the bench prints of a dead worker: the head of faulthandler's dump (its crashing
        thread, most recent call first: the part that names the cause) or else the end of its
        log; the whole log is kept in a file (the temporary one goes with the bench)."""
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        kept = Path(tempfile.gettempdir()) / f"rsp-bench-worker-{self.proc.pid}.log"
        kept.write_text(text)
        start = text.find("Fatal Python error")
        shown = text[start : start + 3000] if start >= 0 else text[-1500:]
        return f"{shown}\n  (the whole log: {kept})"


def run_workers(queue: str, n: int, finished: Callable[[], bool]) -> tuple[float, list[float], int]:
    """Start ``n`` workers on ``queue``, wait until ``finished()``, stop them (SIGTERM: RQ's warm
    shutdown); (their CPU seconds, peak RSS MB each, restarts). Not ``--burst``: a burst worker
    started while the planner job is still enqueuing the chunks would find the queue empty and quit.

    A worker that dies before the batch ends (at 20,000 schools, in both runs, the issue step's
    first workers died of a segfault within two minutes, in its check round; their replacements
    did not) is replaced, as a supervisor (systemd) restarts ``flask jobs worker``; RQ's
    maintenance (every 30 s, as ``flask jobs worker`` sets it) requeues the dead worker's job once
    its entry expires, so the batch still ends with every agreement once. Faulthandler is on: a
    crash dumps its Python stacks to the worker's log; the bench prints the crashing thread's and
    keeps the whole log in a file."""
    argv = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--worker-class", "rq.worker.SimpleWorker",
            "--maintenance-interval", "30", queue]  # fmt: skip
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    restarts = 0
    # The workers' logs go to files: a pipe nobody reads fills up (64 KB of log lines) and blocks
    # the worker in the middle of a job, which once stalled a run for minutes.
    with contextlib.ExitStack() as files:

        def start() -> Worker:
            log = files.enter_context(tempfile.TemporaryFile())
            return Worker(subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env), log)

        workers = [start() for _ in range(n)]
        try:
            while not finished():
                for worker in [w for w in workers if w.usage is None]:
                    worker.sample()
                    if worker.reap(block=False):
                        restarts += 1
                        say(f"  a worker ended with {worker.proc.returncode} before the batch did; its log:\n"
                            f"{worker.crash_report()}")  # fmt: skip
                        if restarts > MAX_RESTARTS:
                            raise SystemExit(f"{restarts} workers ended before the batch did")
                        workers.append(start())
                time.sleep(0.5)
        finally:
            for worker in workers:
                if worker.usage is None:
                    worker.sample()
                    worker.proc.send_signal(signal.SIGTERM)
            for worker in workers:
                if worker.usage is None:
                    worker.reap(block=True)
    cpu = sum(w.usage.ru_utime + w.usage.ru_stime for w in workers)
    return cpu, [w.peak_kb / 1024 for w in workers], restarts
