"""What the PKI views share: the instance PKI."""

from __future__ import annotations

from ...pki.ca import Pki
from ..context import instance


def instance_pki() -> Pki:
    """The app's PKI, loaded once per process (``PkiMissing`` → 503 before ``flask pki init``)."""
    return instance().pki
