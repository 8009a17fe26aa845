"""Who signs an agreement, as the empty signature fields the generator creates.

党政同责: both heads of each party sign. One field per person: when one person holds both posts
(党组书记 and 局长, or a school's 党组织书记 and 校长) there is one field whose label names both
posts; at private schools the party side is the 党建指导员 (``party_instructor``).
"""

from __future__ import annotations

from responsibility.pdf.content import PersonRef, SchoolFacts, SignatureFieldSpec
from responsibility.pdf.errors import ContentError

__all__ = [
    "bureau_signature_fields",
    "confirmation_signature_fields",
    "post_signature_fields",
    "school_signature_fields",
]


def bureau_signature_fields(
    bureau: str, party_secretary: PersonRef, chief: PersonRef
) -> tuple[SignatureFieldSpec, ...]:
    """The bureau seal (certification) and the bureau heads: one field when one person is both
    党组书记 and 局长 (its label names both posts), else one field each."""
    seal = SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{bureau}", "bureau")
    heads: tuple[SignatureFieldSpec, ...]
    if party_secretary.source_id == chief.source_id:
        heads = (
            SignatureFieldSpec(
                "sig_bureau_heads",
                ("bureau_party_secretary", "bureau_chief"),
                f"党组书记、局长：{chief.name}",
                "bureau",
                chief.source_id,
            ),
        )
    else:
        heads = (
            SignatureFieldSpec(
                "sig_bureau_party_secretary",
                ("bureau_party_secretary",),
                f"党组书记：{party_secretary.name}",
                "bureau",
                party_secretary.source_id,
            ),
            SignatureFieldSpec("sig_bureau_chief", ("bureau_chief",), f"局长：{chief.name}", "bureau", chief.source_id),
        )
    return (seal, *heads)


def school_signature_fields(school: SchoolFacts) -> tuple[SignatureFieldSpec, ...]:
    """The school's party head (the 党建指导员 at private schools) and principal (校长 or 园长):
    one field when one person holds both. Raises ``ContentError`` when either is missing."""
    s = school
    if s.principal is None or s.party_head is None:
        missing = [t for t, p in ((s.principal_title, s.principal), (s.party_head_title, s.party_head)) if p is None]
        raise ContentError(f"{s.source_id} {s.name}", [f"no {t} on file" for t in missing])
    party_role = "party_instructor" if s.party_head_is_instructor else "school_party_secretary"
    if s.principal.source_id == s.party_head.source_id:
        return (
            SignatureFieldSpec(
                "sig_school_heads",
                (party_role, "principal"),
                f"{s.party_head_title}、{s.principal_title}：{s.principal.name}",
                "school",
                s.principal.source_id,
            ),
        )
    return (
        SignatureFieldSpec(
            "sig_school_party_head",
            (party_role,),
            f"{s.party_head_title}：{s.party_head.name}",
            "school",
            s.party_head.source_id,
        ),
        SignatureFieldSpec(
            "sig_school_principal",
            ("principal",),
            f"{s.principal_title}：{s.principal.name}",
            "school",
            s.principal.source_id,
        ),
    )


def post_signature_fields(
    seal_label: str, superior: PersonRef, superior_title: str, holder: PersonRef, holder_title: str
) -> tuple[SignatureFieldSpec, ...]:
    """A post agreement of the cascade (岗位安全责任书): the issuing seal (certification), then
    ``sig_superior`` (甲方, signs first) and ``sig_holder`` (乙方) — one field per party."""
    return (
        SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{seal_label}", "bureau"),
        SignatureFieldSpec(
            "sig_superior", ("superior",), f"{superior_title}：{superior.name}", "bureau", superior.source_id
        ),
        SignatureFieldSpec("sig_holder", ("holder",), f"{holder_title}：{holder.name}", "school", holder.source_id),
    )


def confirmation_signature_fields(
    seal_label: str, successor: PersonRef, successor_title: str
) -> tuple[SignatureFieldSpec, ...]:
    """A supplementary confirmation (补充确认书): the issuing seal (certification), then the
    successor alone in ``sig_holder`` (the holder's field of a post agreement: same role, same
    place in the signing order)."""
    return (
        SignatureFieldSpec("sig_bureau_seal", ("bureau_seal",), f"单位印章：{seal_label}", "bureau"),
        SignatureFieldSpec(
            "sig_holder", ("holder",), f"{successor_title}：{successor.name}", "school", successor.source_id
        ),
    )
