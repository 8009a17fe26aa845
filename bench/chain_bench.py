"""Chain-trace and gap-report benchmark on a synthetic province (issue 6, "Done when").

Builds, in a scratch PostgreSQL database (created and dropped here), a province-sized data set
with set-based SQL (``INSERT … SELECT generate_series``, never the importer): one bureau with ten
liaison sections, ``--schools`` schools (default 20,000) with ``--staff`` persons each (default 50,
so 1,000,000 school persons), each school with a three-level grid tree of 25 grids (one school
grid, four building grids, twenty floor/class grids; 500,000 grids), four buildings, the school's
principal, party secretary and safety deputy, a liaison assignment and every grid owned.

Then prints:
- the median and p99 of ``chain_at`` and of ``trace`` (chain + agreement states) over
  ``--samples`` random level-3 grids (targets: median < 10 ms, p99 < 50 ms);
- the wall time of the full gap report ``run_gap_checks`` (target < 60 s).

Run: ``.venv/bin/python bench/chain_bench.py [--pg-url URL] [--schools N] [--staff N]``; takes a
few minutes. ``--pg-url`` (default ``postgresql://postgres@127.0.0.1:5432/test``) is only used to
create and drop the scratch database. Not run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
MEDIAN_TARGET_MS, P99_TARGET_MS, GAP_TARGET_S = 10.0, 50.0, 60.0
START, AT = dt.date(2024, 9, 1), dt.date(2025, 1, 15)
SECTIONS, LEADERS = 10, 8
GRIDS_PER_SCHOOL = 25  # 1 school grid + 4 building grids + 4 × 5 floor grids
SCHOOL_BASE, BUREAU_PERSONS = 100, 1000

CATALOGUE = {
    "B01": ("党组书记、局长", "bureau"),
    "B02": ("党组成员、副局长（分管安全稳定）", "bureau"),
    "B03": ("党组成员、副局长", "bureau"),
    "B05": ("股室负责人", "bureau"),
    "B06": ("股室干部（包抓责任人）", "bureau"),
    "S01": ("校长（园长）", "school"),
    "S02": ("党组织书记", "school"),
    "S03": ("分管安全副校长（副园长）", "school"),
    "S10": ("班主任", "school"),
}


@contextmanager
def scratch_database(pg_url: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    from responsibility.config import normalise_database_url

    url = make_url(normalise_database_url(pg_url))
    admin = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "dbname": url.database or "postgres",
        "autocommit": True,
    }
    name = f"rsp_chain_bench_{os.getpid()}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(conn, schools: int, staff: int) -> None:  # type: ignore[no-untyped-def]
    """The synthetic province, table by table, each in one set-based statement."""
    from sqlalchemy import text

    def run(sql: str, **params: object) -> None:
        conn.execute(text(sql), {"start": START, "n": schools, "staff": staff, **params})

    for code, (name, level) in CATALOGUE.items():
        run(
            "INSERT INTO post_types (code, name, level, safety_duties, party_role, admin_head) "
            "VALUES (:c, :name, :lvl, '[]', false, false)",
            c=code,
            name=name,
            lvl=level,
        )
    run(
        "INSERT INTO counties (name, province, city, bureau_source_id, as_of, meta) "
        "VALUES ('合成县', '合成省', '合成市', 'ORG-B', :at, '{}')",
        at=AT,
    )
    run("INSERT INTO organizations (id, kind, source_id, name) VALUES (1, 'bureau', 'ORG-B', '合成省教育厅')")
    run(
        "INSERT INTO organizations (id, kind, source_id, name, parent_id) "
        "SELECT 1 + s, 'section', 'SEC' || s, '股室' || s, 1 FROM generate_series(1, :k) s",
        k=SECTIONS,
    )
    run(
        "INSERT INTO organizations (id, kind, source_id, name, school_type, ownership, party_org_type, "
        "direct_to_bureau, students, classes) "
        "SELECT :base + i, 'school', 'SCH' || lpad(i::text, 6, '0'), '合成学校' || i, 'primary', '公办', "
        "'independent', true, 600, 20 FROM generate_series(1, :n) i",
        base=SCHOOL_BASE,
    )
    # Bureau persons: 1 chief, 2 deputy in charge, 3..10 leaders, 11..20 section chiefs, 21..100 staff.
    run(
        "INSERT INTO persons (id, source_id, name, org_id) "
        "SELECT p, 'P' || lpad(p::text, 8, '0'), '局人员' || p, "
        "CASE WHEN p <= 10 THEN 1 WHEN p <= 20 THEN p - 9 ELSE 2 + ((p - 21) % :k) END "
        "FROM generate_series(1, 100) p",
        k=SECTIONS,
    )
    run(
        "INSERT INTO persons (id, source_id, name, org_id) "
        "SELECT :pb + (i - 1) * :staff + k, 'P' || lpad((:pb + (i - 1) * :staff + k)::text, 8, '0'), "
        "'教职工' || i || '-' || k, :base + i "
        "FROM generate_series(1, :n) i CROSS JOIN generate_series(1, :staff) k",
        pb=BUREAU_PERSONS,
        base=SCHOOL_BASE,
    )
    run("UPDATE organizations SET chief_person_id = id + 9 WHERE kind = 'section'")
    run(
        "INSERT INTO section_staff (section_id, person_id, position) "
        "SELECT 2 + ((p - 21) % :k), p, p FROM generate_series(21, 100) p",
        k=SECTIONS,
    )
    run(
        "INSERT INTO bureau_leaders (person_id, position, post_code, post_title, accountability_role) "
        "SELECT p, p, CASE p WHEN 1 THEN 'B01' WHEN 2 THEN 'B02' ELSE 'B03' END, '局领导', "
        "CASE p WHEN 1 THEN 'overall' ELSE 'direct' END FROM generate_series(1, 10) p"
    )
    # Posts: bureau posts, then principal / party secretary / safety deputy / class teachers.
    run(
        "INSERT INTO post_assignments (source_id, org_id, post_code, person_id, valid_from, safety_duties, business_duty) "
        "SELECT 'PAB' || p, CASE WHEN p <= 10 THEN 1 WHEN p <= 20 THEN p - 9 ELSE 2 + ((p - 21) % :k) END, "
        "CASE WHEN p = 1 THEN 'B01' WHEN p = 2 THEN 'B02' WHEN p <= 10 THEN 'B03' WHEN p <= 20 THEN 'B05' "
        "ELSE 'B06' END, p, :start, '[\"安全\"]', '业务' FROM generate_series(1, 100) p",
        k=SECTIONS,
    )
    run(
        "INSERT INTO post_assignments (source_id, org_id, post_code, person_id, valid_from, safety_duties, business_duty) "
        "SELECT 'PA' || i || '-' || k, :base + i, "
        "CASE k WHEN 1 THEN 'S01' WHEN 2 THEN 'S02' WHEN 3 THEN 'S03' ELSE 'S10' END, "
        ":pb + (i - 1) * :staff + k, :start, '[\"安全\"]', '业务' "
        "FROM generate_series(1, :n) i CROSS JOIN generate_series(1, 27) k",
        pb=BUREAU_PERSONS,
        base=SCHOOL_BASE,
    )
    # Grids: per school, id base+1 the school grid, base+1+j (j=1..4) buildings, then floors.
    grid_id = f"(i - 1) * {GRIDS_PER_SCHOOL}"
    run(
        f"INSERT INTO grids (id, source_id, school_id, level, name, scope_type, parent_id) "
        f"SELECT {grid_id} + 1, 'G' || i || '-0', :base + i, 1, '学校网格', '学校', NULL FROM generate_series(1, :n) i",
        base=SCHOOL_BASE,
    )
    run(
        f"INSERT INTO grids (id, source_id, school_id, level, name, scope_type, parent_id) "
        f"SELECT {grid_id} + 1 + j, 'G' || i || '-' || j, :base + i, 2, '楼栋' || j, '楼栋', {grid_id} + 1 "
        f"FROM generate_series(1, :n) i CROSS JOIN generate_series(1, 4) j",
        base=SCHOOL_BASE,
    )
    run(
        f"INSERT INTO grids (id, source_id, school_id, level, name, scope_type, parent_id) "
        f"SELECT {grid_id} + 5 + (j - 1) * 5 + m, 'G' || i || '-' || j || '-' || m, :base + i, 3, "
        f"'楼层' || j || '-' || m, '楼层', {grid_id} + 1 + j "
        f"FROM generate_series(1, :n) i CROSS JOIN generate_series(1, 4) j CROSS JOIN generate_series(1, 5) m",
        base=SCHOOL_BASE,
    )
    # Owners: the principal (k=1) owns the school grid, k=4..7 the buildings, k=8..27 the floors.
    run(
        f"INSERT INTO grid_ownerships (grid_id, person_id, valid_from) "
        f"SELECT g.id, :pb + (g.school_id - :base - 1) * :staff + "
        f"CASE WHEN g.level = 1 THEN 1 ELSE g.id - ((g.school_id - :base - 1) * {GRIDS_PER_SCHOOL}) + 2 END, :start "
        f"FROM grids g",
        pb=BUREAU_PERSONS,
        base=SCHOOL_BASE,
    )
    run(
        f"INSERT INTO buildings (source_id, school_id, name, building_type, floors, grid_id) "
        f"SELECT 'BLD' || i || '-' || j, :base + i, '教学楼' || j, 'teaching', 5, {grid_id} + 1 + j "
        f"FROM generate_series(1, :n) i CROSS JOIN generate_series(1, 4) j",
        base=SCHOOL_BASE,
    )
    run(
        "INSERT INTO fire_plans (building_id, plan_no, extinguishers, hydrants, emergency_lighting_ok, "
        "evac_signs_ok, last_monthly_check) SELECT id, 'FP-' || source_id, 20, 2, true, true, :checked FROM buildings",
        checked=AT - dt.timedelta(days=10),
    )
    run(
        "INSERT INTO liaison_assignments (school_id, section_id, liaison_person_id, bureau_leader_person_id, valid_from) "
        "SELECT :base + i, 2 + (i % :k), 21 + (i % :k), 3 + (i % :leaders), :start FROM generate_series(1, :n) i",
        base=SCHOOL_BASE,
        k=SECTIONS,
        leaders=LEADERS,
    )
    for table in ("organizations", "persons", "grids", "grid_ownerships", "post_assignments", "buildings"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--staff", type=int, default=50, help="persons per school (>= 27)")
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    if args.staff < 27:
        parser.error("--staff must be at least 27 (posts and grid owners)")

    from sqlalchemy import create_engine, select, text
    from sqlalchemy.orm import Session

    from responsibility.chain import ChainSubject, chain_at
    from responsibility.chain.gaps import run_gap_checks
    from responsibility.chain.trace import trace
    from responsibility.models import Base, Grid

    with scratch_database(args.pg_url) as url:
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            build(conn, args.schools, args.staff)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        built = time.perf_counter() - t0
        with engine.connect() as conn:
            counts = {
                t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
                for t in ("organizations", "persons", "grids", "post_assignments", "buildings")
            }
        print(f"built in {built:.1f} s: {counts}")

        with Session(engine) as session:
            grids = list(session.scalars(select(Grid.source_id).where(Grid.level == 3)).all())
            rng = random.Random(args.seed)
            sample = [rng.choice(grids) for _ in range(args.samples)]
            for sid in sample[:50]:  # warm the statement caches
                chain_at(session, ChainSubject.grid(sid), AT)
            for label, fn in (("chain_at", chain_at), ("trace", trace)):
                times = []
                incomplete = 0
                for sid in sample:
                    t = time.perf_counter()
                    path = fn(session, ChainSubject.grid(sid), AT)
                    times.append((time.perf_counter() - t) * 1000)
                    incomplete += bool(path.gaps)
                median, p99 = statistics.median(times), percentile(times, 0.99)
                print(
                    f"{label}: {len(times)} random level-3 grids, median {median:.2f} ms "
                    f"(target < {MEDIAN_TARGET_MS:g}), p99 {p99:.2f} ms (target < {P99_TARGET_MS:g}); "
                    f"{incomplete} with gaps; {len(path.links)} links"
                )
            session.rollback()
            t = time.perf_counter()
            report = run_gap_checks(session, at=AT)
            elapsed = time.perf_counter() - t
            counts_by_check = {code: n for code, n in report.counts().items() if n}
            print(
                f"run_gap_checks: {elapsed:.1f} s (target < {GAP_TARGET_S:g}); "
                f"{len(report.findings)} findings {counts_by_check}"
            )
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
