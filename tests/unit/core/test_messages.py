"""Messages as data: a msgid with parameters that *is* its English text, carried by domain errors;
foreign library failures mapped to our own messages by category; the crawl's text rules."""

from __future__ import annotations

import json
import pickle

import pytest
from fixtures.crawl_text import chinese_runs, english_words, visible_text

from responsibility.errors import BadInput, InvalidState
from responsibility.messages import N_, msg
from responsibility.verify.library_errors import CATEGORIES, pdf_problem, pdf_problem_category


def test_a_message_is_its_english_text_and_keeps_msgid_and_params() -> None:
    inner = msg(N_("Draft"))
    message = msg(N_("the agreement is %(state)s"), state=inner)
    assert message == "the agreement is Draft" and "is Draft" in message
    assert message.msgid == "the agreement is %(state)s" and message.params == {"state": inner}
    assert json.dumps({"m": message}) == '{"m": "the agreement is Draft"}'
    again = pickle.loads(pickle.dumps(message))  # noqa: S301 - our own bytes, as RQ pickles job arguments
    assert again == message and again.msgid == message.msgid and again.params["state"].msgid == "Draft"
    assert N_("plain") == "plain" and type(N_("plain")) is str


def test_domain_errors_carry_their_message() -> None:
    err = BadInput(N_("the due date %(day)s must fall inside the term"), day="2026-01-01")
    assert str(err) == "the due date 2026-01-01 must fall inside the term"
    assert err.message.msgid == "the due date %(day)s must fall inside the term"
    assert err.message.params == {"day": "2026-01-01"}
    given = msg(N_("nobody holds the post on the day"))
    assert InvalidState(given).message is given
    assert str(InvalidState("no params, 100%")) == "no params, 100%"  # a % without params is text


@pytest.mark.parametrize(
    ("exc", "category"),
    [
        ("PdfReadError:Illegal PDF header", "header"),
        ("PdfStrictReadError:Failed to locate xref section", "xref"),
        ("PdfReadError:startxref not found", "xref"),
        ("PdfKeyNotAvailableError:No key available to decrypt, please authenticate first.", "encrypted"),
        ("PdfDecodeLimitError:too much", "limits"),
        ("ValueError:Error parsing asn1crypto.cms.ContentInfo - method should have been 0", "signature_data"),
        ("PdfReadError:Circular reference in form tree", "structure"),
        ("RuntimeError:whatever", "unreadable"),
    ],
)
def test_library_failures_map_to_our_categories(exc: str, category: str) -> None:
    from pyhanko.pdf_utils import misc
    from pyhanko.pdf_utils.crypt.api import PdfKeyNotAvailableError

    kinds = {
        "PdfReadError": misc.PdfReadError,
        "PdfStrictReadError": misc.PdfStrictReadError,
        "PdfDecodeLimitError": misc.PdfDecodeLimitError,
        "PdfKeyNotAvailableError": PdfKeyNotAvailableError,
        "ValueError": ValueError,
        "RuntimeError": RuntimeError,
    }
    name, text = exc.split(":", 1)
    error = kinds[name](text)
    assert pdf_problem_category(error) == category
    problem = pdf_problem(error)
    assert problem.msgid == CATEGORIES[category][0] and text not in problem


def test_visible_text_keeps_labels_and_skips_data_by_design() -> None:
    html = (
        '<html lang="zh-CN"><body><p title="提示">签名 <span class="id">SCH001</span></p>'
        "<code>POST /api</code><script>var x = 'English';</script>"
        '<a lang="en" href="?lang=en">English</a><input type="submit" value="确定">'
        '<td lang="zh-CN">中文原文</td></body></html>'
    )
    text = visible_text(html)
    assert "签名" in text and "提示" in text and "确定" in text
    assert "SCH001" not in text and "POST" not in text and "English" not in text and "中文原文" not in text


def test_english_words_and_chinese_runs() -> None:
    text = "校长签名 sig_school_principal 文件 agreement.pdf P00027 PDF a1b2c3d4e5f6 user@example.cn Signed"
    assert english_words(text) == ["sig_school_principal", "Signed"]
    assert english_words(text, data={"Signed"}) == ["sig_school_principal"]
    assert chinese_runs("Principal: 张三, 校长签名", data=["张三"]) == ["校长签名"]


def test_the_verifier_names_the_category_not_the_library_text() -> None:
    from responsibility.verify import Limits, TrustConfig
    from responsibility.verify.inspect import inspect_pdf

    facts = inspect_pdf(b"%PFD-1.7 this is not a PDF", TrustConfig.build([], revocation_required=False), Limits())
    assert facts.unreadable is not None and facts.unreadable.code == "not_pdf"
    assert "文件开头不是 PDF 文件头" in facts.unreadable.message and "Illegal" not in facts.unreadable.message


def test_messages_survive_a_json_column_with_their_nested_parameters() -> None:
    from responsibility.messages import message_from_json, message_json

    stored = json.loads(
        json.dumps(message_json(msg(N_("%(number)s: %(reason)s"), number="X-1", reason=msg(N_("late")))))
    )
    again = message_from_json(stored)
    assert again == "X-1: late" and again.params["reason"].msgid == "late"
