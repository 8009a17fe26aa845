"""org (import) and pdf (clause applicability) speak the same glossary codes."""

from __future__ import annotations

from responsibility import glossary
from responsibility.org import vocabulary as org_vocabulary
from responsibility.pdf import vocabulary


def test_pdf_and_org_share_the_glossary_codes():
    assert vocabulary.FEATURES is glossary.FEATURES
    assert org_vocabulary.FEATURES is glossary.FEATURES
    assert set(org_vocabulary.SCHOOL_TYPE_LABELS) == vocabulary.SCHOOL_TYPES


def test_every_chinese_school_type_maps_to_a_glossary_code():
    assert set(org_vocabulary.SCHOOL_TYPES.values()) == glossary.SCHOOL_TYPES
    for label, code in org_vocabulary.SCHOOL_TYPES.items():
        assert org_vocabulary.school_type_code(label) == code
        assert org_vocabulary.school_type_code(code) == code
