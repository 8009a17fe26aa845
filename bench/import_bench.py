"""Import and chain-query benchmark (issue 2, "Done when").

Prints, on SQLite and on PostgreSQL:
- the import time of the project's demo county (``build_demo_county()``), of the reference file
  ``../shared/domain/demo_county.json`` when present, and of a synthetic county 20x larger
  (``build_demo_county(scale=20)``), each into a fresh migrated database, commit included;
- the median and p99 of ``chain_at`` over a few thousand random grids of the 20x county.

Targets printed beside the figures: the 20x county imports in under 60 s on PostgreSQL, and
``chain_at`` has a median under 5 ms.

Run standalone: ``.venv/bin/python bench/import_bench.py`` (``--help`` for options). PostgreSQL:
``--pg-url`` (default ``postgresql://postgres@127.0.0.1:5432/test``) is only used to create and
drop a scratch database per import; nothing is written to the database it names. ``--profile``
prints the top of a cProfile of the 20x import on PostgreSQL.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import logging
import os
import platform
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED_DEMO = ROOT.parent / "shared" / "domain" / "demo_county.json"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
IMPORT_TARGET_S = 60.0
CHAIN_MEDIAN_TARGET_MS = 5.0


@dataclass
class Dataset:
    name: str
    data: dict[str, Any]
    build_seconds: float | None = None

    def size(self) -> str:
        return f"{len(self.data.get('schools', []))} schools, {len(self.data.get('persons', []))} persons, {len(self.data.get('grids', []))} grids"


@dataclass
class Result:
    backend: str
    dataset: str
    import_seconds: float
    chain_ms: list[float] | None = None


# -- databases -------------------------------------------------------------------------------------


class Backend:
    """Hands out fresh empty database URLs and removes them afterwards."""

    name = "?"

    @contextmanager
    def database(self, label: str) -> Iterator[str]:
        raise NotImplementedError
        yield ""


class SQLiteBackend(Backend):
    name = "SQLite"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir

    @contextmanager
    def database(self, label: str) -> Iterator[str]:
        path = self.workdir / f"bench_{label}.sqlite3"
        path.unlink(missing_ok=True)
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresBackend(Backend):
    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        from responsibility.config import normalise_database_url

        self.url = make_url(normalise_database_url(url))

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        u = self.url
        return psycopg.connect(
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            password=u.password,
            dbname=u.database or "postgres",
            autocommit=True,
        )

    def check(self) -> str | None:
        try:
            with self._admin():
                return None
        except Exception as exc:
            return str(exc).splitlines()[0]

    @contextmanager
    def database(self, label: str) -> Iterator[str]:
        name = f"rsp_bench_{os.getpid()}_{label}"
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url.set(database=name).render_as_string(hide_password=False)
        finally:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- measurements ----------------------------------------------------------------------------------


@contextmanager
def app_on(url: str, **extra: Any) -> Iterator[Any]:
    """An app context on a freshly migrated database at ``url`` (``extra``: more app settings)."""
    from flask_migrate import upgrade

    from responsibility import create_app
    from responsibility.extensions import db

    with tempfile.TemporaryDirectory(prefix="rsp-bench-") as instance:
        app = create_app(
            config={"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-not-secret", "TESTING": True, **extra},
            instance_path=instance,
        )
        with app.app_context():
            upgrade()
            try:
                yield db
            finally:
                db.session.remove()
                db.engine.dispose()


def timed_import(db: Any, dataset: Dataset, profile: bool = False) -> tuple[float, str | None]:
    from responsibility.org.importing import import_county

    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    import_county(db.session, dataset.data, source=f"bench:{dataset.name}", actor="bench")
    db.session.commit()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    report = None
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        out.write("\n--- by own time ---\n")
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        report = out.getvalue()
    return seconds, report


def chain_day(data: dict[str, Any]) -> dt.date:
    """The day the county's data describes (``meta.as_of``), else the period start, else today."""
    meta = data.get("meta", {})
    for value in (meta.get("as_of"), (meta.get("period") or {}).get("start")):
        if value:
            return dt.date.fromisoformat(value)
    from responsibility.clock import today

    return today()


def time_chains(db: Any, dataset: Dataset, traces: int, seed: int) -> list[float]:
    from responsibility.chain import ChainSubject, chain_at

    grid_ids = [g["id"] for g in dataset.data["grids"]]
    rng = random.Random(seed)
    sample = [rng.choice(grid_ids) for _ in range(traces)]
    day = chain_day(dataset.data)
    session = db.session
    # The generated datasets are hundreds of thousands of Python objects; freezing them keeps the
    # garbage collector's full passes over the bench's own data out of the per-trace timings.
    gc.collect()
    gc.freeze()
    for gid in sample[:20]:  # warm the statement cache and the connection
        chain_at(session, ChainSubject.grid(gid), day)
    timings = []
    for gid in sample:
        start = time.perf_counter()
        path = chain_at(session, ChainSubject.grid(gid), day)
        timings.append((time.perf_counter() - start) * 1000)
        if not path.links:
            raise SystemExit(f"chain_at returned no links for grid {gid}")
    session.rollback()
    gc.unfreeze()
    return timings


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


# -- main --------------------------------------------------------------------------------------------


def datasets(scale: int, with_shared: bool) -> list[Dataset]:
    from responsibility.demo import build_demo_county

    out = []
    for name, kwargs in (("demo", {}), (f"demo x{scale}", {"scale": scale})):
        start = time.perf_counter()
        data = build_demo_county(**kwargs)
        out.append(Dataset(name, data, time.perf_counter() - start))
    if with_shared and SHARED_DEMO.is_file():
        out.insert(1, Dataset("shared demo_county.json", json.loads(SHARED_DEMO.read_text(encoding="utf-8"))))
    return out


def run_backend(
    backend: Backend,
    sets: list[Dataset],
    big: Dataset,
    traces: int,
    seed: int,
    profile: bool,
    say: Callable[[str], None],
) -> list[Result]:
    results = []
    for i, dataset in enumerate(sets):
        with backend.database(f"{i}") as url, app_on(url) as db:
            is_big = dataset is big
            seconds, report = timed_import(db, dataset, profile=profile and is_big)
            result = Result(backend.name, dataset.name, seconds)
            say(f"  {backend.name:<10} import {dataset.name:<26} {seconds:8.2f} s")
            if report:
                say(f"\ncProfile of the {dataset.name} import on {backend.name}:\n{report}")
            if is_big and traces:
                result.chain_ms = time_chains(db, dataset, traces, seed)
                say(
                    f"  {backend.name:<10} chain_at x{traces} on {dataset.name}: median "
                    f"{statistics.median(result.chain_ms):.2f} ms, p99 {p99(result.chain_ms):.2f} ms"
                )
            results.append(result)
    return results


def summary(results: list[Result], big: Dataset) -> str:
    lines = ["", "Summary", "=" * 78, f"{'database':<11}{'what':<44}{'figure':>11}  target", "-" * 78]
    for r in results:
        target = ""
        if r.dataset == big.name:
            ok = r.import_seconds < IMPORT_TARGET_S
            target = f"< {IMPORT_TARGET_S:.0f} s" + (
                f" ({'met' if ok else 'MISSED'})" if r.backend == "PostgreSQL" else ""
            )
        lines.append(f"{r.backend:<11}{'import ' + r.dataset:<44}{r.import_seconds:>9.2f} s  {target}")
        if r.chain_ms:
            median = statistics.median(r.chain_ms)
            met = "met" if median < CHAIN_MEDIAN_TARGET_MS else "MISSED"
            lines.append(
                f"{r.backend:<11}{f'chain_at median ({len(r.chain_ms)} grids)':<44}{median:>8.2f} ms  "
                f"< {CHAIN_MEDIAN_TARGET_MS:.0f} ms ({met})"
            )
            lines.append(f"{r.backend:<11}{'chain_at p99':<44}{p99(r.chain_ms):>8.2f} ms")
    lines.append("=" * 78)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20, help="size of the synthetic county (default 20x)")
    parser.add_argument("--traces", type=int, default=3000, help="chain_at calls to time (default 3000)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the random grid sample")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-shared", action="store_true", help="do not import ../shared/domain/demo_county.json")
    parser.add_argument("--profile", action="store_true", help="cProfile the large import on PostgreSQL")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # alembic's env.py re-enables its INFO lines on every upgrade

    def say(text: str) -> None:
        print(text, flush=True)

    say(
        f"{platform.python_implementation()} {platform.python_version()} on {os.cpu_count()} CPUs; targets: the x20 import < {IMPORT_TARGET_S:.0f} s on PostgreSQL, chain_at median < {CHAIN_MEDIAN_TARGET_MS:.0f} ms"
    )
    say(f"Generating the data (scale {args.scale}) ...")
    sets = datasets(args.scale, with_shared=not args.skip_shared)
    big = sets[-1]
    for d in sets:
        built = f" (generated in {d.build_seconds:.1f} s)" if d.build_seconds is not None else ""
        say(f"  {d.name:<26} {d.size()}{built}")

    backends: list[Backend] = []
    workdir = Path(tempfile.mkdtemp(prefix="rsp-bench-db-"))
    if not args.skip_sqlite:
        backends.append(SQLiteBackend(workdir))
    if not args.skip_postgres:
        pg = PostgresBackend(args.pg_url)
        problem = pg.check()
        if problem:
            say(f"PostgreSQL skipped: cannot connect to {args.pg_url}: {problem}")
        else:
            backends.append(pg)

    results: list[Result] = []
    for backend in backends:
        say(f"\n{backend.name}:")
        results += run_backend(
            backend, sets, big, args.traces, args.seed, args.profile and backend.name == "PostgreSQL", say
        )
    shutil.rmtree(workdir, ignore_errors=True)
    say(summary(results, big))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
