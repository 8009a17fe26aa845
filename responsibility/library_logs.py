"""Foreign libraries' logs: quiet unless asked for.

pyHanko and pypdf log what they forgive in a hostile or unusual file, often with a traceback
(``logger.warning(..., exc_info=True)``). The verdict already says what is wrong in one line, so
those logs are details for a developer: they are silenced unless verbose output is requested
(``flask … --verbose``, which sets :data:`VERBOSE_ENV` so that verification workers started
afterwards, in their own processes, follow the same choice). A leaf: no project imports, no Flask.
"""

from __future__ import annotations

import logging
import os

__all__ = ["LIBRARY_LOGGERS", "VERBOSE_ENV", "quiet_library_logs", "verbose_requested"]

LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "pypdf", "asn1crypto", "fontTools", "reportlab", "PIL")
VERBOSE_ENV = "RESPONSIBILITY_VERBOSE"


def verbose_requested() -> bool:
    """True when this process (or the one that started it) asked for verbose output."""
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


def quiet_library_logs(verbose: bool | None = None) -> None:
    """Silence the libraries' loggers (or let everything through when ``verbose``; default: the
    environment's choice). Used as the initializer of verification worker processes too."""
    if verbose is None:
        verbose = verbose_requested()
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.CRITICAL + 1)
