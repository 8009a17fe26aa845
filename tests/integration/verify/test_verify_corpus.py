"""Every hostile or odd PDF of ``../shared/corpora`` gets an answer from the service, the API and
the CLI — no crash, no hang, no 500, no traceback — and no file of ``dss/`` is ever valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_doors import install, verify_via

VERDICTS = {"valid", "incomplete", "invalid", "unreadable"}


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> list[Path]:
    files = sorted((shared_dir / "corpora").glob("*/*.pdf"))
    if not files:
        pytest.skip("no corpus files in ../shared/corpora")
    return files


@pytest.mark.parametrize("door", ["service", "api", "cli"])
def test_every_corpus_file_gets_an_answer_and_dss_is_never_valid(
    app, signed: SignedAgreement, corpus: list[Path], door: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    install(app, signed)
    answers = {}
    for path in corpus:
        report = verify_via(door, app, path.read_bytes(), tmp_path)
        assert report["verdict"] in VERDICTS, path.name
        assert report["reasons"], path.name  # never a bare verdict: every non-valid answer says why
        answers[f"{path.parent.name}/{path.name}"] = report["verdict"]
    assert not [name for name, verdict in answers.items() if verdict == "valid"]
    dss = {name: verdict for name, verdict in answers.items() if name.startswith("dss/")}
    assert dss and "valid" not in dss.values()
    assert answers.get("dss/dss-2236_replace.pdf") == "invalid"


def test_shadow_replace_passes_pyhankos_bottom_line_but_not_our_rules(
    shared_dir: Path, signed: SignedAgreement
) -> None:
    """The corpus README's claim, checked: only our extra rules catch ``dss-2236_replace.pdf``."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from responsibility.verify import Limits, TrustConfig, verify_pdf

    data = (shared_dir / "corpora" / "dss" / "dss-2236_replace.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sig = reader.embedded_signatures[0]
    root = sig.signer_cert  # trust the file's own signer, as a naive verifier configured for it would
    status = validate_pdf_signature(
        sig, signer_validation_context=ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert status.bottom_line
    trust = TrustConfig.build([root.dump()], revocation_required=False)
    report = verify_pdf(data, trust=trust, registry=None, limits=Limits(isolate=False))
    assert report.verdict == "invalid"
    assert {"non_signature_fields", "unexpected_field_change"} & report.codes
