"""The stopgap that shows one language of a domain message written as ``中文 (English)``."""

from __future__ import annotations

import pytest

from responsibility.web.bilingual import one_language

ROLE = (
    "陆涛（P00012）2026-12-02 既不是城关一小的教职工，也不是督查该校的局股室人员，不能上报该校隐患。"
    " (P00012 is neither on the staff of SCH001 nor a bureau supervisor of it on 2026-12-02.)"
)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        (
            ROLE,
            "陆涛（P00012）2026-12-02 既不是城关一小的教职工，也不是督查该校的局股室人员，不能上报该校隐患。",
            "P00012 is neither on the staff of SCH001 nor a bureau supervisor of it on 2026-12-02.",
        ),
        (
            "照片 a.jpg：图片已损坏，无法读取。 (Photo a.jpg: the image is damaged.)",
            "照片 a.jpg：图片已损坏，无法读取。",
            "Photo a.jpg: the image is damaged.",
        ),  # fmt: skip
        (
            "发现日期晚于上报日期。 (The found date (2026-12-03) is after the report day.)",
            "发现日期晚于上报日期。",
            "The found date (2026-12-03) is after the report day.",
        ),  # fmt: skip  (nested parentheses)
    ],
)
def test_each_locale_gets_its_part(text: str, zh: str, en: str) -> None:
    assert one_language(text, "zh_CN") == zh
    assert one_language(text, "zh_Hans_CN") == zh
    assert one_language(text, "en") == en


@pytest.mark.parametrize(
    "text",
    [
        "The description is required.",  # English only
        "隐患描述不能为空。",  # Chinese only
        "no link (SCH001)",  # an English text ending in parentheses
        "网格（G00003）",  # full-width parentheses belong to the Chinese
        "格式错误 ()",  # nothing inside
        "括号不配对 x)",
    ],
)
def test_other_text_is_unchanged(text: str) -> None:
    assert one_language(text, "zh_CN") == text
    assert one_language(text, "en") == text
