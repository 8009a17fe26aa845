"""Reading the agreement and batch settings from an app's configuration mapping.

Keys (all optional; defaults in brackets): ``AGREEMENT_STORAGE_DIR`` [``<instance>/agreements``],
``AGREEMENT_TEMPLATE_ROOT`` [``<project>/pdf_templates``], ``AGREEMENT_WORKERS`` [CPU count:
processes rendering a whole county], ``REDIS_URL`` [none: batches run in a thread],
``RQ_QUEUE`` [``responsibility``]. The web layer and the CLI pass ``app.config`` in; nothing here
reads Flask.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..pdf.template import DEFAULT_ROOT
from .batches import JobSettings
from .dispatch import DEFAULT_QUEUE

__all__ = ["job_settings", "queue_name", "storage_dir", "template_root"]


def storage_dir(config: Mapping[str, Any], instance_path: str | os.PathLike[str]) -> Path:
    return Path(config.get("AGREEMENT_STORAGE_DIR") or Path(instance_path) / "agreements")


def template_root(config: Mapping[str, Any]) -> Path:
    return Path(config.get("AGREEMENT_TEMPLATE_ROOT") or DEFAULT_ROOT)


def queue_name(config: Mapping[str, Any]) -> str:
    return str(config.get("RQ_QUEUE") or DEFAULT_QUEUE)


def job_settings(
    config: Mapping[str, Any], instance_path: str | os.PathLike[str], database_url: str, *, workers: int | None = None
) -> JobSettings:
    if workers is None:
        workers = int(config.get("AGREEMENT_WORKERS") or os.cpu_count() or 1)
    return JobSettings(
        database_url=database_url,
        storage_dir=str(storage_dir(config, instance_path)),
        template_root=str(template_root(config)),
        workers=max(1, workers),
    )
