"""A province's season on one command (issue 16): build, import, generate and issue on RQ workers.

    .venv/bin/python bench/province_bench.py --schools 600      # a few minutes
    .venv/bin/python bench/province_bench.py                    # 20,000 schools (the target run)
    .venv/bin/python bench/province_bench.py --workers 2        # one worker count only

For each worker count (``--workers 1,2``, the default: both in one invocation) the bench builds the province
with the project's generator (``build_demo_county(scale=…)``, the import format), imports it
through the real importer into a scratch PostgreSQL database (``rsp_bench_<pid>_province_w<n>``,
created and dropped through ``--pg-url``), then times through the real services:

- **generate**: the campaign's batch queued as the web page queues it (``queue_generation`` +
  ``RqDispatcher``: a planner job, then chunk jobs) and run by N real ``rq worker`` subprocesses
  (``SimpleWorker``, as ``flask jobs worker`` starts them) over the local Redis, on a queue of
  its own; CPU time and peak RSS per worker come from ``wait4``;
- **issue**: the campaign issue queued as the web page queues it with Redis (``queue_issue`` +
  ``dispatch_issue``: a planner job, one stale-check job and one issue job per chunk, the last
  one freezing the campaign, then the bureau agreements' batch of chunks) on the same N workers,
  each agreement certified by the bureau seal with its RFC 3161 timestamp (the instance PKI is
  made for the bench, as ``flask pki init`` makes it);
- **gap report**: ``run_gap_checks`` over the whole province, then the same computed and stored
  (``chain.gaps.snapshots``: what the gap report page reads at a province's size), and the
  season board computed and stored (``board.season``);
- **board**: the campaign board's counts (one aggregate query);
- **pages** (``province_pages``): the campaign, signing board, season board and gap report pages
  through the app as an administrator and an auditor, median of 5 after a warm-up.

After the two worker counts, on the last database (``province_signing``, in this process as in
the web process: the unlocked keys never go to Redis): enrolment of the school heads of a sample
of schools and the chief, both school signatures, the chief's batch countersign (each adding the
archive timestamp) and the cascade issue for a few of them.

It ends with ``province: N schools; generate+issue 1 worker S1 s, 2 workers S2 s; scaling X.XX×``
(with one worker count, its time only). A batch running longer than a minute prints its progress
(``done/total``) every minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import resource
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
from province_pages import time_pages  # noqa: E402
from province_signing import sign_sample  # noqa: E402
from province_workers import REDIS_URL, run_workers, say  # noqa: E402

PROGRESS_EVERY = 60.0
"""Seconds between two progress lines of a running batch (a province's generation runs for an hour)."""
BASE_URL = "https://anquan.example.cn"
APP_SETTINGS = {
    "PUBLIC_BASE_URL": BASE_URL,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    "LIVE_REPORT_SCHOOLS": 0,
}
"""The pages are requested through Flask's test client over plain HTTP (as the tests do): the
login form is posted without a CSRF token and the session cookie must travel without TLS. The gap
report and the season board pages read the stored ones whatever the province's size (the ``gap
report`` and ``season board`` steps time what a live page would compute)."""


@dataclass
class Step:
    name: str
    items: int
    wall: float
    cpu: float
    rss_mb: list[float]
    restarts: int = 0
    """Workers that died during the step and were replaced (their chunk was retried)."""


def on_workers(db: Any, name: str, job_id: int, workers: int, dispatch: Callable[[], None], dispatcher: Any) -> Step:
    """Dispatch batch ``job_id`` and run it on ``workers`` fresh workers to its end and the end of
    any batch it started (the issue's bureau agreements); its Step."""
    from sqlalchemy import select

    from responsibility.models import BatchJob

    campaign_id = db.session.get_one(BatchJob, job_id).campaign_id
    said = [time.perf_counter()]

    def finished() -> bool:
        db.session.rollback()
        rows = db.session.execute(
            select(BatchJob.kind, BatchJob.state, BatchJob.done, BatchJob.total).where(
                BatchJob.campaign_id == campaign_id, BatchJob.id >= job_id
            )
        ).all()
        if time.perf_counter() - said[0] >= PROGRESS_EVERY:
            said[0] = time.perf_counter()
            say(
                f"  {name}, {time.perf_counter() - t0:.0f} s: "
                + ", ".join(f"{r.kind} {r.done}/{r.total}" for r in rows)
            )
        return all(row.state in ("finished", "failed") for row in rows)

    t0 = time.perf_counter()
    dispatch()
    try:
        cpu, rss, restarts = run_workers(dispatcher.queue_name, workers, finished)
    finally:
        dispatcher.queue().delete(delete_jobs=True)
    wall = time.perf_counter() - t0
    db.session.expire_all()
    row = db.session.get(BatchJob, job_id)
    if row.state != "finished" or row.done != row.total:
        raise SystemExit(f"{name} batch ended {row.state} {row.done}/{row.total}: {row.message}")
    return Step(name, row.done, wall, cpu, rss, restarts)


def countersign_on_workers(
    db: Any, workers: int
) -> Callable[[Any, list[int], Any, Any], tuple[str, int, float, float]]:
    """The chief's countersign batch on ``workers`` RQ workers: this process's thread signs what
    they prepare (``jobs.countersign.RqCountersignRunner``); a signing row (workers' CPU and ours)."""
    from flask import current_app

    from responsibility.clock import today as county_today
    from responsibility.instance import instance_of
    from responsibility.jobs import JobSettings, RqDispatcher
    from responsibility.jobs.countersign import RqCountersignRunner

    def run(job: Any, ids: list[int], chief: Any, unlocked: Any) -> tuple[str, int, float, float]:
        settings = instance_of(current_app).settings
        url = db.engine.url.render_as_string(hide_password=False)
        dispatcher = RqDispatcher(
            REDIS_URL, JobSettings.from_settings(settings, url), queue=f"bench-{uuid.uuid4().hex}"
        )
        runner = RqCountersignRunner(db.engine, dispatcher, settings, day=county_today())
        c0 = time.process_time()
        step = on_workers(db, "countersign", job.id, workers, lambda: runner.start(job.id, ids, chief.id, unlocked),
                          dispatcher)  # fmt: skip
        runner.join(60)
        return (f"countersign + archive TS (RQ, {workers} workers)", step.items, step.wall,
                step.cpu + time.process_time() - c0)  # fmt: skip

    return run


def bureau_step(db: Any, campaign_id: int, issue_id: int) -> Step:
    """The bureau agreements' batch that the issue started (part of the issue's wall time):
    its agreements and its own span from the database's timestamps."""
    from sqlalchemy import func, select

    from responsibility.jobs.bureau_chunks import BUREAU_ISSUE
    from responsibility.models import Agreement, BatchJob

    job = db.session.scalars(
        select(BatchJob).where(
            BatchJob.campaign_id == campaign_id, BatchJob.id > issue_id, BatchJob.kind == BUREAU_ISSUE
        )
    ).first()
    count = db.session.scalar(
        select(func.count(Agreement.id)).where(Agreement.campaign_id == campaign_id, Agreement.kind == "bureau")
    )
    if job is None or job.state != "finished":
        raise SystemExit(f"the bureau agreements' batch ended {job.state if job else 'missing'}")
    return Step("  of which bureau agreements", int(count or 0), (job.finished_at - job.created_at).total_seconds(),
                0.0, [])  # fmt: skip


def term() -> tuple[dt.date, dt.date]:
    """A term covering the county's today (signing, the live campaign and the season board need it)."""
    from responsibility.clock import today as county_today

    today = county_today()
    return today - dt.timedelta(days=20), today + dt.timedelta(days=150)


def make_pki(db: Any) -> None:
    """The instance PKI and the bureau seal, as ``flask pki init`` makes them."""
    from flask import current_app

    from responsibility.agreements.seal import ensure_seal
    from responsibility.pki.instance import ensure_instance_pki, pki_names

    county, bureau = pki_names(db.session, current_app.config)
    pki, _ = ensure_instance_pki(current_app.instance_path, current_app.config, county_name=county, bureau_name=bureau)
    ensure_seal(db.session, pki, current_app.config, actor="bench")
    db.session.commit()


def season(db: Any, data: dict[str, Any], workers: int) -> tuple[list[Step], int]:
    from flask import current_app
    from sqlalchemy import func, select

    from responsibility.agreements import create_campaign
    from responsibility.board import BoardDay, compute_board_snapshot
    from responsibility.chain.gaps import run_gap_checks
    from responsibility.chain.gaps.snapshots import compute_snapshot
    from responsibility.clock import today as county_today
    from responsibility.instance import instance_of
    from responsibility.jobs import JobSettings, RqDispatcher, queue_generation
    from responsibility.jobs.dispatch import dispatch_issue
    from responsibility.jobs.issuing import queue_issue
    from responsibility.models import Agreement
    from responsibility.org.importing import import_county, refresh_statistics
    from responsibility.settings_work import PatrolSettings

    steps: list[Step] = []
    t0 = time.perf_counter()
    import_county(db.session, data, source="bench:province", actor="bench")
    db.session.commit()
    refresh_statistics(db.session)  # as `flask org import` does after its commit
    db.session.commit()
    schools = len(data.get("schools", []))
    steps.append(Step("import", schools, time.perf_counter() - t0, time.process_time(), []))
    make_pki(db)

    start, end = term()
    campaign = create_campaign(
        db.session, name="冬春季安全稳定暨消防安全目标责任书", start=start, end=end, actor="bench", base_url=BASE_URL
    )
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
        on_workers(db, "issue (certified + TS)", issue.id, workers, lambda: dispatch_issue(
            dispatcher, issue.id, settings, allow_missing=False, today=today), dispatcher)
    )  # fmt: skip

    steps.append(bureau_step(db, campaign.id, issue.id))

    c0, t0 = time.process_time(), time.perf_counter()
    report = run_gap_checks(db.session, at=today, campaign_id=campaign.id)
    db.session.rollback()
    steps.append(Step(f"gap report ({len(report.findings)} findings)", schools, time.perf_counter() - t0,
                      time.process_time() - c0, []))  # fmt: skip
    c0, t0 = time.process_time(), time.perf_counter()
    compute_snapshot(db.session, at=today, campaign_id=campaign.id, live_campaign=True, actor="bench")
    db.session.commit()  # the stored report the gap report page reads (APP_SETTINGS: LIVE_REPORT_SCHOOLS 0)
    steps.append(
        Step("gap report computed and stored", schools, time.perf_counter() - t0, time.process_time() - c0, [])
    )
    c0, t0 = time.process_time(), time.perf_counter()
    day = BoardDay(today, PatrolSettings(), today, "Asia/Shanghai")
    compute_board_snapshot(db.session, campaign.id, day, actor="bench")
    db.session.commit()  # the stored season board the /season page reads
    steps.append(Step("season board computed and stored", schools, time.perf_counter() - t0,
                      time.process_time() - c0, []))  # fmt: skip

    c0, t0 = time.process_time(), time.perf_counter()
    counts = db.session.execute(
        select(Agreement.state, func.count(Agreement.id))
        .where(Agreement.campaign_id == campaign.id)
        .group_by(Agreement.state)
    ).all()
    db.session.rollback()
    steps.append(Step(f"board counts {dict(counts)}", 1, time.perf_counter() - t0, time.process_time() - c0, []))
    for path, median, size in time_pages(current_app, db, campaign.id):
        steps.append(
            Step(f"page {path.replace(f'campaign={campaign.id}', 'c')} ({size // 1024} KB)", 1, median, 0.0, [])
        )
    return steps, campaign.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--sign-sample", type=int, default=100, help="schools signed and countersigned (0: none)")
    parser.add_argument("--cascade-sample", type=int, default=5, help="of those, schools whose cascade is issued")
    parser.add_argument("--workers", type=worker_counts, default=(1, 2), help="worker counts, e.g. 1,2 (default) or 2")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    # pyHanko warns at every signature that fetching is off (the bench embeds what the local PKI has)
    logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

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
    for workers in args.workers:
        with backend.database(f"province_w{workers}") as url, app_on(url, **APP_SETTINGS) as db:
            results[workers], campaign_id = season(db, data, workers)
            if workers == args.workers[-1]:
                print_workers(results)  # before the signing, so a failure there loses none of it
                if args.sign_sample > 0:
                    from responsibility.clock import today as county_today

                    on_rq = countersign_on_workers(db, workers)
                    print_signing(
                        sign_sample(db, campaign_id, args.sign_sample, args.cascade_sample, county_today(), on_rq)
                    )
    say(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    say(summary_line(schools, results))


def worker_counts(text: str) -> tuple[int, ...]:
    """``"1,2"`` → ``(1, 2)``: the worker counts to run, each at least one, in the order given."""
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of worker counts: {text!r}") from None
    if not counts or min(counts) < 1 or len(set(counts)) != len(counts):
        raise argparse.ArgumentTypeError(f"worker counts must be distinct and at least 1: {text!r}")
    return counts


def generate_issue_seconds(steps: list[Step]) -> float:
    return sum(s.wall for s in steps if s.name.startswith(("generate", "issue")))


def summary_line(schools: int, results: dict[int, list[Step]]) -> str:
    """The bench's last line; the scaling is the first worker count's time over the last's."""
    spans = {n: generate_issue_seconds(steps) for n, steps in results.items()}
    times = ", ".join(f"{n} worker{'s' if n > 1 else ''} {s:.1f} s" for n, s in spans.items())
    line = f"province: {schools} schools; generate+issue {times}"
    if len(spans) > 1:
        first, last = list(spans.values())[0], list(spans.values())[-1]
        line += f"; scaling {first / last:.2f}×"
    return line


def print_workers(results: dict[int, list[Step]]) -> None:
    """One row per step, a column pair per worker count; the ratio is the first count's wall time
    over the last's, the CPU per item the first count's (workers' CPU over the batch's items)."""
    counts = list(results)
    head = "".join(f"{f'wall {n}w':>10}" for n in counts) + "".join(f"{f'items/s {n}w':>12}" for n in counts)
    say(f"\n{'step':<46}{'items':>7}{head}{'ratio':>7}{f'CPU/item {counts[0]}w':>13}{'peak RSS/worker MB':>22}")
    for row in zip(*results.values(), strict=True):
        first, last = row[0], row[-1]
        ratio = f"{first.wall / last.wall:>6.2f}×" if last.wall and len(row) > 1 else f"{'-':>7}"
        cpu_item = (first.cpu / first.items * 1000) if first.items and first.rss_mb else float("nan")
        rss = "/".join(f"{r:.0f}" for step in row for r in step.rss_mb) or "-"
        walls = "".join(f"{s.wall:>9.2f}s" for s in row) + "".join(f"{s.items / s.wall:>12.1f}" for s in row)
        say(f"{first.name[:45]:<46}{first.items:>7}{walls}{ratio}{cpu_item:>10.1f} ms{rss:>22}")
    for n, steps in results.items():
        for step in steps:
            if step.restarts:
                say(
                    f"({step.name}, {n} worker(s): {step.restarts} worker(s) died and were replaced; RQ retried their chunks)"
                )


def print_signing(rows: list[tuple[str, int, float, float]]) -> None:
    say(f"\n{'signing (in this process, on the 2-worker database)':<52}{'items':>7}{'wall':>10}{'items/s':>10}"
        f"{'CPU/item':>12}")  # fmt: skip
    for name, items, wall, cpu in rows:
        say(f"{name[:51]:<52}{items:>7}{wall:>9.2f}s{items / wall if wall else 0:>10.1f}"
            f"{cpu / items * 1000 if items else 0:>9.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
