"""Entry points RQ workers import: ``rq worker responsibility`` runs them.

A worker has no Flask app: the job carries its settings (``JobSettings``), and the task opens
its own engine on the database URL, runs the batch and disposes of the engine.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ..config import normalise_database_url
from .batches import JobSettings, run_generation

__all__ = ["run_generation_task"]


def run_generation_task(job_id: int, settings: dict[str, Any]) -> dict[str, Any]:
    """Run batch ``job_id``; returns its final counts (kept by RQ as the job result)."""
    job_settings = JobSettings(**settings)
    url = normalise_database_url(job_settings.database_url)
    options: dict[str, Any] = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    engine = create_engine(url, **options)
    try:
        with Session(bind=engine, expire_on_commit=False) as session:
            job = run_generation(session, job_id, job_settings)
            return {"job_id": job.id, "state": job.state, "done": job.done, "failed": job.failed}
    finally:
        engine.dispose()
