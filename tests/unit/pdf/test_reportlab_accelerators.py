"""reportlab runs with its C accelerators (the ``rl_accel`` package, pinned in requirements.txt):
without them it silently falls back to pure-Python string widths, checksums and number
formatting, about a fifth more CPU per agreement. A fresh install that lost the package fails here."""

from __future__ import annotations

from reportlab.lib import rl_accel


def test_reportlab_uses_its_c_accelerators() -> None:
    for name in ("instanceStringWidthTTF", "calcChecksum", "fp_str", "escapePDF"):
        function = getattr(rl_accel, name)
        assert getattr(function, "__module__", None) == "_rl_accel", (name, function)
