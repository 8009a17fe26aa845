"""Session PKI and signing kit from ``tests/fixtures/pki.py``."""

from fixtures.pki import kit  # noqa: F401  (pytest fixture)
