"""A province's pages without its batch work (issue 16): import, a page of agreements, the stored
reports, then every page of ``province_pages`` timed through the app.

    .venv/bin/python bench/province_pages_bench.py --schools 20000   # ≈ 10 minutes
    .venv/bin/python bench/province_pages_bench.py --schools 600

``province_bench.py`` measures the pages too, after an hour of generation and issue at 20,000
schools; this one gets to them in minutes, so that a change to a page can be measured at a
province's size. It builds the province with the project's generator, imports it into a scratch
PostgreSQL database (``ANALYZE`` after, as ``flask org import`` does), creates the campaign,
generates and issues (uncertified) the agreements of its first ``--agreements`` schools in this
process (the campaign page's first pages, the signing board's rows, the school head's inbox),
computes and stores the gap report and the season board (timed: what a live page would compute),
and times the pages (median of 5 after a warm-up). The other schools have no agreement yet: the
gap report's agreement checks find them, as they would find a campaign half generated.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import PostgresBackend, app_on  # noqa: E402
from province_bench import APP_SETTINGS, BASE_URL, make_pki, term  # noqa: E402
from province_pages import time_pages  # noqa: E402
from province_workers import say  # noqa: E402


def timed(label: str, work: Any) -> Any:
    c0, t0 = time.process_time(), time.perf_counter()
    result = work()
    say(f"{label:<46}{time.perf_counter() - t0:>9.2f} s wall {time.process_time() - c0:>9.2f} s CPU")
    return result


def province_pages(db: Any, data: dict[str, Any], agreements: int) -> None:
    from flask import current_app
    from sqlalchemy import select

    from responsibility.agreements import create_campaign
    from responsibility.agreements.campaigns import issue_drafts
    from responsibility.agreements.generation import generate
    from responsibility.board import BoardDay, compute_board_snapshot
    from responsibility.chain.gaps.snapshots import compute_snapshot
    from responsibility.clock import today as county_today
    from responsibility.instance import instance_of
    from responsibility.models import Agreement, School
    from responsibility.org.importing import import_county, refresh_statistics
    from responsibility.settings_work import PatrolSettings

    def load() -> None:
        import_county(db.session, data, source="bench:province", actor="bench")
        db.session.commit()
        refresh_statistics(db.session)
        db.session.commit()

    timed(f"import ({len(data['schools'])} schools)", load)
    make_pki(db)
    start, end = term()
    campaign = create_campaign(
        db.session, name="冬春季安全稳定暨消防安全目标责任书", start=start, end=end, actor="bench", base_url=BASE_URL
    )
    db.session.commit()
    instance = instance_of(current_app)
    today = county_today()
    ids = list(db.session.scalars(select(School.id).order_by(School.source_id).limit(agreements)))

    def page_of_agreements() -> None:
        generate(db.session, campaign, storage=instance.store, actor="bench", school_ids=ids,
                 template_root=instance.settings.template_root, today=today)  # fmt: skip
        db.session.commit()
        drafts = list(db.session.scalars(select(Agreement).where(Agreement.campaign_id == campaign.id)))
        issue_drafts(db.session, drafts, storage=instance.store, certify=None, today=today)
        db.session.commit()

    timed(f"generate and issue {len(ids)} agreements", page_of_agreements)
    timed("gap report computed and stored", lambda: (
        compute_snapshot(db.session, at=today, campaign_id=campaign.id, live_campaign=True, actor="bench"),
        db.session.commit()))  # fmt: skip
    day = BoardDay(today, PatrolSettings(), today, "Asia/Shanghai")
    timed("season board computed and stored", lambda: (
        compute_board_snapshot(db.session, campaign.id, day, actor="bench"), db.session.commit()))  # fmt: skip
    say(f"\n{'page':<52}{'median':>9}{'size':>10}")
    for path, median, size in time_pages(current_app, db, campaign.id):
        say(f"{path:<52}{median * 1000:>7.0f} ms{size // 1024:>7} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--agreements", type=int, default=200, help="schools whose agreement is generated and issued")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()

    from responsibility.demo import build_demo_county

    scale = max(1, math.ceil(args.schools / 60))
    data = timed(f"province built (demo county ×{scale})", lambda: build_demo_county(scale=scale))
    backend = PostgresBackend(args.pg_url)
    problem = backend.check()
    if problem:
        raise SystemExit(f"PostgreSQL unreachable at {args.pg_url}: {problem}")
    with backend.database("province_pages") as url, app_on(url, **APP_SETTINGS) as db:
        province_pages(db, data, args.agreements)


if __name__ == "__main__":
    main()
