"""What the PKI views share: the instance PKI."""

from __future__ import annotations

from flask import current_app

from ...pki.ca import Pki
from ...pki.instance import load_instance_pki


def instance_pki() -> Pki:
    """The app's PKI, loaded once per process (``PkiMissing`` → 503 before ``flask pki init``)."""
    return load_instance_pki(current_app.instance_path, current_app.config)
