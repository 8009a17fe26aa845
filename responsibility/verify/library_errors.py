"""What a foreign library's failure means, in our own words.

pyHanko, pypdf and asn1crypto explain a refusal in their own English ("Illegal PDF header",
"startxref not found", "Error parsing asn1crypto.cms.ContentInfo …"). Those texts are neither
translated nor meant for a principal, so a failure is mapped by *category* (the exception's type
and, for pyHanko's generic read errors, a few words of its text) to one of our messages: a
catalogue msgid (:func:`pdf_problem`, rendered by the web layer in the reader's language) or the
plain Chinese of the verifier's reasons (:func:`pdf_problem_chinese`). The library's own text
goes to the log, never to the page.
"""

from __future__ import annotations

from pyhanko.pdf_utils.crypt.api import PdfKeyNotAvailableError
from pyhanko.pdf_utils.misc import PdfDecodeLimitError, PdfError, PdfReadError

from responsibility.messages import N_, Message, msg

__all__ = ["CATEGORIES", "pdf_problem", "pdf_problem_category", "pdf_problem_chinese"]

#: category → (English msgid, the verifier's plain Chinese)
CATEGORIES: dict[str, tuple[str, str]] = {
    "header": (N_("it does not begin with a PDF header"), "文件开头不是 PDF 文件头"),
    "xref": (N_("its cross-reference table is missing or damaged"), "交叉引用表缺失或损坏"),
    "encrypted": (N_("it is encrypted"), "文件已加密"),
    "limits": (
        N_("it exceeds the decoding limits (possibly built to overload the reader)"),
        "超出解码限制（可能被构造用于拖垮读取）",
    ),
    "signature_data": (N_("its signature data is malformed"), "签名数据格式错误"),
    "structure": (N_("its internal structure is damaged"), "文件内部结构损坏"),
    "unreadable": (N_("it cannot be read"), "无法读取"),
}

_XREF_WORDS = ("xref", "startxref", "trailer", "marker", "generation", "object stream")


def pdf_problem_category(exc: BaseException) -> str:
    """The :data:`CATEGORIES` key of ``exc``, a failure of reading or validating untrusted bytes."""
    text = str(exc).lower()
    if isinstance(exc, PdfDecodeLimitError):
        return "limits"
    if isinstance(exc, PdfKeyNotAvailableError) or "authenticate" in text or "encrypt" in text:
        return "encrypted"
    if isinstance(exc, PdfError):
        if "header" in text:
            return "header"
        if any(word in text for word in _XREF_WORDS):
            return "xref"
        return "structure" if isinstance(exc, PdfReadError) or text else "unreadable"
    if isinstance(exc, ValueError | TypeError | KeyError) and ("asn1" in text or "cms" in text or "parsing" in text):
        return "signature_data"
    if isinstance(exc, ValueError | TypeError | KeyError | IndexError | RecursionError):
        return "structure"
    return "unreadable"


def pdf_problem(exc: BaseException) -> Message:
    """``exc`` as one of our messages (a catalogue msgid, no library text)."""
    return msg(CATEGORIES[pdf_problem_category(exc)][0])


def pdf_problem_chinese(exc: BaseException) -> str:
    """``exc`` in the verifier's plain Chinese."""
    return CATEGORIES[pdf_problem_category(exc)][1]
