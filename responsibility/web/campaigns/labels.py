"""Display labels of the bureau agreements' tiers (``Agreement.post_code`` of kind ``bureau``),
in the reader's language (English msgids, Chinese in the zh_CN catalogue)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

TIER_LABELS = {
    "leader": _("Chief with a bureau leader"),
    "section": _("Leader with a section chief"),
    "liaison": _("Section chief with a liaison"),
}


def tier_label(code: str | None) -> str:
    return str(TIER_LABELS.get(code or "", code or "—"))
