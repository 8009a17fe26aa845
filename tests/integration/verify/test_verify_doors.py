"""The three doors (service, ``POST /api/verify``, ``flask verify``) and the upload page give the
same, right verdict on the project's signed agreement and on every attack against it, with the
registry read from the database and the trust from the instance PKI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.signed_agreement import SignedAgreement
from fixtures.verify_attacks import Attack, build_attacks
from fixtures.verify_doors import DOORS, codes, install, verify_via


@pytest.fixture(scope="module")
def attacks(signed: SignedAgreement) -> dict[str, Attack]:
    return {a.name: a for a in build_attacks(signed)}


ATTACK_NAMES = [
    "final",
    "earlier_revision",
    "page_text_changed",
    "annotation_overlay",
    "new_text_field",
    "flipped_byte",
    "bytes_after_eof",
    "truncated",
    "edited_byterange",
    "swapped_contents",
    "added_page",
    "metadata_only_update",
    "self_signed_lookalike",
    "extra_lookalike_signature",
    "trusted_wrong_person",
]


@pytest.fixture
def registered_app(app, signed: SignedAgreement):  # type: ignore[no-untyped-def]
    install(app, signed)
    return app


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_every_door_gives_the_same_right_verdict(
    registered_app, attacks: dict[str, Attack], name: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    attack = attacks[name]
    reports = {door: verify_via(door, registered_app, attack.data, tmp_path) for door in DOORS}
    verdicts = {door: report["verdict"] for door, report in reports.items()}
    assert set(verdicts.values()) == {attack.verdict}, verdicts
    reason_sets = {door: codes(report) for door, report in reports.items()}
    assert len({frozenset(c) for c in reason_sets.values()}) == 1, reason_sets
    if attack.codes:
        assert attack.codes & reason_sets["service"], reason_sets["service"]


def test_registry_state_void_makes_the_final_file_invalid(app, signed: SignedAgreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install(app, signed, state="void")
    for door in ("service", "api", "cli"):
        report = verify_via(door, app, signed.final, tmp_path)
        assert report["verdict"] == "invalid" and "agreement_void" in codes(report)


def test_file_ahead_of_the_registry_is_an_unregistered_update(app, signed: SignedAgreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install(app, signed, upto=len(signed.revisions) - 1, state="countersigned")
    report = verify_via("api", app, signed.final, tmp_path)
    assert report["verdict"] == "invalid" and "unregistered_update" in codes(report)
    assert report["document"]["registry"]["match"] == "extends"
    latest = verify_via("cli", app, signed.revisions[-2], tmp_path)
    assert latest["verdict"] == "valid", latest["reasons"]


def test_number_unknown_to_the_registry_is_invalid(app, signed: SignedAgreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install(app, signed)
    from responsibility.extensions import db
    from responsibility.models import Agreement

    with app.app_context():
        db.session.query(Agreement).update({Agreement.document_number: "OTHER-NUMBER"})
        db.session.commit()
    report = verify_via("service", app, signed.final, tmp_path)
    # Found by its hash, but the file's own number disagrees with the registry.
    assert report["verdict"] == "invalid" and "number_mismatch" in codes(report)


def test_registry_reports_the_registered_posts_and_required_signatures(
    app, signed: SignedAgreement, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    install(app, signed, upto=4, state="school_signed")
    report = verify_via("api", app, signed.revisions[3], tmp_path)
    assert report["verdict"] == "incomplete"
    assert codes(report) == {"missing_signatures"}
    assert report["document"]["registry"] == {
        "consulted": True,
        "found": True,
        "state": "school_signed",
        "match": "latest",
        "revision": 4,
        "revisions": 4,
    }
    assert report["document"]["missing_signatures"] == ["sig_bureau_party_secretary", "sig_bureau_chief"]
    posts = {s["field"]: s["post"] for s in report["signatures"]}
    assert posts["sig_school_principal"] == "园长"


def test_cli_without_a_pki_is_one_line_and_exit_2(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_cli_missing_file_is_one_line_and_exit_2(registered_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = registered_app.test_cli_runner().invoke(args=["verify", str(tmp_path / "absent.pdf")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_text_output_names_the_verdict_and_signers(registered_app, signed: SignedAgreement, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "final.pdf"
    path.write_bytes(signed.final)
    result = registered_app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("有效且完整 (valid)")
    for person in signed.signers.values():
        assert person.name in result.stdout
