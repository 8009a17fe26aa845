"""Labels of key kinds, and certificate subjects (RFC 4514 names) in words a reader knows."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _

__all__ = ["KEY_KIND_LABELS", "subject_label"]

KEY_KIND_LABELS = {
    "ecdsa-p256": _("ECDSA P-256 key"),
    "rsa-2048": _("RSA 2048-bit key"),
    "rsa-3072": _("RSA 3072-bit key"),
    "ed25519": _("Ed25519 key"),
    "pkcs12": _("External PKCS#12 certificate"),
}

_ATTRIBUTES = {"CN", "O", "OU", "C", "L", "ST", "SERIALNUMBER", "T", "TITLE"}


def _parts(subject: str) -> dict[str, str]:
    """``serialNumber=P00027,CN=张三,O=岚川县教育局,C=CN`` → ``{"SERIALNUMBER": "P00027", "CN": …}``
    (commas escaped as ``\\,`` stay inside a value)."""
    parts: dict[str, str] = {}
    current, escaped = "", False
    for char in subject + ",":
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char in ",+":
            key, _sep, value = current.partition("=")
            if key.strip().upper() in _ATTRIBUTES and value:
                parts.setdefault(key.strip().upper(), value.strip())
            current = ""
        else:
            current += char
    return parts


def subject_label(subject: str | None) -> str:
    """Filter ``subject``: a certificate subject as "name, organisation (serial number …)"; a text
    that is not an RFC 4514 name is shown as it is."""
    if not subject:
        return ""
    parts = _parts(subject)
    if "CN" not in parts:
        return subject
    text = parts["CN"]
    if parts.get("O") and parts["O"] != parts["CN"]:
        text = gettext("%(name)s, %(org)s", name=text, org=parts["O"])
    if parts.get("SERIALNUMBER"):
        text = gettext("%(name)s (serial number %(serial)s)", name=text, serial=parts["SERIALNUMBER"])
    return text
