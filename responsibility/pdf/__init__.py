"""Agreement PDFs on plain data and bytes: the versioned template, the content an agreement shows,
and deterministic rendering with an embedded CJK font, signature fields and the responsibility
matrix attached. Never imports models, sqlalchemy, flask, org or agreements (import-linter)."""

from responsibility.pdf.clauses import applicable_clauses
from responsibility.pdf.content import AgreementContent, AgreementParameters, SchoolFacts
from responsibility.pdf.errors import ContentError, FontMissing, TemplateError
from responsibility.pdf.fonts import FontSpec
from responsibility.pdf.render import render_agreement
from responsibility.pdf.template import AgreementTemplate, load_template

__all__ = [
    "AgreementContent",
    "AgreementParameters",
    "AgreementTemplate",
    "ContentError",
    "FontMissing",
    "FontSpec",
    "SchoolFacts",
    "TemplateError",
    "applicable_clauses",
    "load_template",
    "render_agreement",
]
