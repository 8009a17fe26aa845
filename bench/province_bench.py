"""A province's season on one command (issue 16): build, import, generate and issue on RQ workers.

    .venv/bin/python bench/province_bench.py --schools 600      # a few minutes
    .venv/bin/python bench/province_bench.py                    # 20,000 schools (the target run)

For each worker count (``--workers 1`` and ``2`` in one invocation) the bench builds the province
with the project's generator (``build_demo_county(scale=…)``, the import format), imports it
through the real importer into a scratch PostgreSQL database (``rsp_bench_<pid>_province_w<n>``,
created and dropped through ``--pg-url``), then times through the real services:

- **generate**: the campaign's batch queued as the web page queues it (``queue_generation`` +
  ``RqDispatcher``: a planner job, then chunk jobs) and run by N real ``rq worker`` subprocesses
  (``SimpleWorker``, as ``flask jobs worker`` starts them) over the local Redis, on a queue of
  its own; CPU time and peak RSS per worker come from ``wait4``;
- **issue**: the campaign issue queued as the web page queues it with Redis (``queue_issue`` +
  ``dispatch_issue``: a planner job that checks every draft, then chunk jobs, the last one freezing
  the campaign) on the same N workers (the instance has no PKI here, so the agreements are issued
  without the bureau seal's certification; the certification is NOT measured);
- **gap report**: ``run_gap_checks`` over the whole province;
- **board**: the campaign board's counts (one aggregate query).

Not measured yet (see bench/README.md): the certification at issue, the batch countersign, the
archive timestamps and the cascade sample, which need an instance PKI and the signing path.

It ends with ``province: N schools; generate+issue 1 worker S1 s, 2 workers S2 s; scaling X.XX×``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import PostgresBackend, app_on  # noqa: E402  (the bench's shared scratch-database code)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
"""A Redis database of its own: a worker of another suite on a shared server never takes its jobs."""
TERM = (dt.date(2024, 11, 15), dt.date(2025, 4, 30))


@dataclass
class Step:
    name: str
    items: int
    wall: float
    cpu: float
    rss_mb: list[float]


def say(text: str) -> None:
    print(text, flush=True)


def run_workers(queue: str, n: int, finished: Callable[[], bool]) -> tuple[float, list[float]]:
    """Start ``n`` workers on ``queue``, wait until ``finished()``, stop them (SIGTERM: RQ's warm
    shutdown); (their CPU seconds, peak RSS MB each). Not ``--burst``: a burst worker started
    while the planner job is still enqueuing the chunks would find the queue empty and quit."""
    argv = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--worker-class", "rq.worker.SimpleWorker"]
    procs = [
        subprocess.Popen([*argv, queue], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(n)
    ]
    try:
        while not finished():
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker stopped before the batch ended")
            time.sleep(0.5)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
    cpu, rss = 0.0, []
    for proc in procs:
        _, _status, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        cpu += usage.ru_utime + usage.ru_stime
        rss.append(usage.ru_maxrss / 1024)
    return cpu, rss


def on_workers(db: Any, name: str, job_id: int, workers: int, dispatch: Callable[[], None], dispatcher: Any) -> Step:
    """Dispatch batch ``job_id`` and run it on ``workers`` fresh workers to its end; its Step."""
    from sqlalchemy import select

    from responsibility.models import BatchJob

    def finished() -> bool:
        db.session.rollback()
        state = db.session.scalar(select(BatchJob.state).where(BatchJob.id == job_id))
        return state in ("finished", "failed")

    t0 = time.perf_counter()
    dispatch()
    try:
        cpu, rss = run_workers(dispatcher.queue_name, workers, finished)
    finally:
        dispatcher.queue().delete(delete_jobs=True)
    wall = time.perf_counter() - t0
    db.session.expire_all()
    row = db.session.get(BatchJob, job_id)
    if row.state != "finished" or row.done != row.total:
        raise SystemExit(f"{name} batch ended {row.state} {row.done}/{row.total}: {row.message}")
    return Step(name, row.done, wall, cpu, rss)


def season(db: Any, data: dict[str, Any], workers: int) -> list[Step]:
    from flask import current_app
    from sqlalchemy import func, select

    from responsibility.agreements import create_campaign
    from responsibility.chain.gaps import run_gap_checks
    from responsibility.clock import today as county_today
    from responsibility.instance import instance_of
    from responsibility.jobs import JobSettings, RqDispatcher, queue_generation
    from responsibility.jobs.dispatch import dispatch_issue
    from responsibility.jobs.issuing import queue_issue
    from responsibility.models import Agreement
    from responsibility.org.importing import import_county

    steps: list[Step] = []
    t0 = time.perf_counter()
    import_county(db.session, data, source="bench:province", actor="bench")
    db.session.commit()
    schools = len(data.get("schools", []))
    steps.append(Step("import", schools, time.perf_counter() - t0, time.process_time(), []))

    campaign = create_campaign(
        db.session, name="2024—2025年冬春季安全责任书", start=TERM[0], end=TERM[1], actor="bench",
        base_url="https://anquan.example.cn", now=dt.datetime(2024, 11, 10, 1, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    db.session.commit()
    settings = instance_of(current_app).settings
    url = db.engine.url.render_as_string(hide_password=False)
    dispatcher = RqDispatcher(REDIS_URL, JobSettings.from_settings(settings, url), queue=f"bench-{uuid.uuid4().hex}")

    job = queue_generation(db.session, campaign, actor="bench", backend="rq")
    db.session.commit()
    steps.append(on_workers(db, "generate", job.id, workers, lambda: dispatcher.dispatch(job.id), dispatcher))

    issue = queue_issue(db.session, campaign, actor="bench", allow_missing=False, backend="rq")
    db.session.commit()
    today = county_today()  # the day the web issue checks the drafts on (generation used it too)
    steps.append(
        on_workers(db, "issue (uncertified)", issue.id, workers, lambda: dispatch_issue(
            dispatcher, issue.id, settings, allow_missing=False, today=today), dispatcher)
    )  # fmt: skip

    c0, t0 = time.process_time(), time.perf_counter()
    report = run_gap_checks(db.session, at=TERM[0] + dt.timedelta(days=30), campaign_id=campaign.id)
    db.session.rollback()
    steps.append(Step(f"gap report ({len(report.findings)} findings)", schools, time.perf_counter() - t0,
                      time.process_time() - c0, []))  # fmt: skip

    c0, t0 = time.process_time(), time.perf_counter()
    counts = db.session.execute(
        select(Agreement.state, func.count(Agreement.id))
        .where(Agreement.campaign_id == campaign.id)
        .group_by(Agreement.state)
    ).all()
    db.session.rollback()
    steps.append(Step(f"board counts {dict(counts)}", 1, time.perf_counter() - t0, time.process_time() - c0, []))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()

    from responsibility.demo import build_demo_county

    scale = max(1, math.ceil(args.schools / 60))
    t0 = time.perf_counter()
    data = build_demo_county(scale=scale)
    schools = len(data["schools"])
    say(f"province: {schools} schools (demo county ×{scale}), built in {time.perf_counter() - t0:.1f} s")
    backend = PostgresBackend(args.pg_url)
    problem = backend.check()
    if problem:
        raise SystemExit(f"PostgreSQL unreachable at {args.pg_url}: {problem}")
    results: dict[int, list[Step]] = {}
    for workers in (1, 2):
        with backend.database(f"province_w{workers}") as url, app_on(url) as db:
            results[workers] = season(db, data, workers)
    say(f"\n{'step':<34}{'items':>7}{'wall 1w':>10}{'wall 2w':>10}{'items/s 1w':>12}{'items/s 2w':>12}"
        f"{'ratio':>7}{'CPU/item 1w':>13}{'peak RSS/worker MB':>22}")  # fmt: skip
    for one, two in zip(results[1], results[2], strict=True):
        ratio = one.wall / two.wall if two.wall else 0.0
        cpu_item = (one.cpu / one.items * 1000) if one.items and one.rss_mb else float("nan")
        rss = "/".join(f"{r:.0f}" for r in one.rss_mb + two.rss_mb) or "-"
        say(f"{one.name[:33]:<34}{one.items:>7}{one.wall:>9.2f}s{two.wall:>9.2f}s{one.items / one.wall:>12.1f}"
            f"{two.items / two.wall:>12.1f}{ratio:>6.2f}×{cpu_item:>10.1f} ms{rss:>22}")  # fmt: skip
    s1 = sum(s.wall for s in results[1] if s.name.startswith(("generate", "issue")))
    s2 = sum(s.wall for s in results[2] if s.name.startswith(("generate", "issue")))
    say(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    say(
        f"province: {schools} schools; generate+issue 1 worker {s1:.1f} s, 2 workers {s2:.1f} s; scaling {s1 / s2:.2f}×"
    )


if __name__ == "__main__":
    main()
