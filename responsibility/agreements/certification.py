"""The certification hook that ``campaign issue`` (command and page) passes to ``issue_campaign``.

When the instance has a PKI, every agreement is certified with the bureau seal at issue. Without
one (an instance where ``flask init`` / ``flask pki init`` has not run yet) there is no hook and
the agreements are issued uncertified — never with a fake signature — and the signing workflow
refuses them (``InvalidState``: issued without certification) until they are superseded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..pki.instance import instance_pki_exists
from .campaigns import CertificationHook
from .seal import ensure_seal
from .signing_env import signing_environment
from .signing_flow import certification_hook

__all__ = ["certification_for_issue"]


def certification_for_issue(
    session: Session,
    config: Mapping[str, Any],
    instance_path: str | os.PathLike[str],
    *,
    storage_dir: str | os.PathLike[str],
    actor: str = "system",
) -> CertificationHook | None:
    """The bureau seal's certification hook, or None when the instance has no PKI."""
    if not instance_pki_exists(Path(instance_path)):
        return None
    env = signing_environment(session, config, instance_path, storage_dir=storage_dir)
    seal = ensure_seal(session, env.pki, config, actor=actor)
    return certification_hook(env, seal)
