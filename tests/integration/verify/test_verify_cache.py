"""The registry cache of verification reports: a registered file is analysed once per trust
state; a revocation (any CRL change) or a new revision makes the next verification fresh;
unknown files are always verified from scratch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fixtures.instance_pki import install_pki
from fixtures.signing_workflow import TWO_HEADS, enrol_person, issue_schools, sign_as, signers_of, store_of

from responsibility.agreements.registry import verification_registry
from responsibility.agreements.verification_cache import VerificationCache
from responsibility.instance import instance_of
from responsibility.models import Agreement, Person
from responsibility.pki.registry import revoke_person
from responsibility.verify import Limits, verify_pdf

LIMITS = Limits(isolate=False)


@pytest.fixture
def signed(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    """An agreement signed by its principal; yields ``(app, session, pdf, principal_id)``."""
    from responsibility.extensions import db

    install_pki(instance_pki_template, demo_app.instance_path)
    with demo_app.app_context():
        session = db.session
        (agreement,) = issue_schools(demo_app, session, [TWO_HEADS])
        principal = signers_of(session, agreement).principal
        enrol_person(demo_app, session, principal)
        sign_as(demo_app, session, agreement.id, principal)
        session.commit()
        pdf = store_of(demo_app).read(session.get(Agreement, agreement.id).pdf_sha256)
        yield demo_app, session, pdf, principal.id
        session.remove()


class Counting:
    """The from-scratch verifier, counted (the cache's seam)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data, **kw):  # type: ignore[no-untyped-def]
        self.calls += 1
        return verify_pdf(data, **kw)


def _verify(app, session, cache: VerificationCache, pdf: bytes):  # type: ignore[no-untyped-def]
    context = instance_of(app)
    registry = verification_registry(session, context.store)
    return cache.verify(pdf, trust=context.trust(session), registry=registry, limits=LIMITS)


def test_second_verification_of_a_registered_file_comes_from_the_cache(signed, tmp_path: Path) -> None:
    app, session, pdf, _ = signed
    counting = Counting()
    cache = VerificationCache(tmp_path / "cache", verifier=counting)
    first = _verify(app, session, cache, pdf)
    assert first.verdict == "incomplete" and not first.from_registry_cache and counting.calls == 1
    second = _verify(app, session, cache, pdf)
    assert counting.calls == 1  # not verified again
    assert second.from_registry_cache and second.as_json()["from_registry_cache"] is True
    assert second.verdict == first.verdict and second.signatures == first.signatures
    assert second.document == first.document and second.reasons == first.reasons


def test_a_revocation_bypasses_the_cache_and_changes_the_verdict(signed, tmp_path: Path) -> None:
    app, session, pdf, principal_id = signed
    counting = Counting()
    cache = VerificationCache(tmp_path / "cache", verifier=counting)
    before = _verify(app, session, cache, pdf)
    assert _verify(app, session, cache, pdf).from_registry_cache
    principal = session.get(Person, principal_id)
    # Key compromise dated before the signature: the signature is no longer trustworthy.
    revoke_person(session, principal, reason="key_compromise", actor="test",
                  now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))  # fmt: skip
    session.commit()
    after = _verify(app, session, cache, pdf)
    assert counting.calls == 2 and not after.from_registry_cache
    assert before.verdict == "incomplete" and after.verdict == "invalid"
    assert _verify(app, session, cache, pdf).from_registry_cache  # cached again under the new state
    assert counting.calls == 2


def test_unknown_files_are_always_verified_from_scratch(signed, tmp_path: Path) -> None:
    app, session, pdf, _ = signed
    counting = Counting()
    cache = VerificationCache(tmp_path / "cache", verifier=counting)
    unknown = pdf + b"\n% appended\n"
    for _ in range(2):
        assert not _verify(app, session, cache, unknown).from_registry_cache
    assert counting.calls == 2
    assert not (tmp_path / "cache").exists()


def test_an_edited_cache_file_is_not_served(signed, tmp_path: Path) -> None:
    app, session, pdf, _ = signed
    counting = Counting()
    cache = VerificationCache(tmp_path / "cache", verifier=counting)
    _verify(app, session, cache, pdf)
    (kept,) = (tmp_path / "cache").glob("*/*.json")
    data = json.loads(kept.read_text("utf-8"))
    data["document"]["sha256"] = "0" * 64
    kept.write_text(json.dumps(data), "utf-8")
    assert not _verify(app, session, cache, pdf).from_registry_cache and counting.calls == 2


def test_the_doors_use_the_cache(signed) -> None:
    """``flask verify --json`` twice: the second answer says it came from the registry cache."""
    app, session, pdf, _ = signed
    path = Path(app.instance_path) / "copy.pdf"
    path.write_bytes(pdf)
    session.remove()
    runner = app.test_cli_runner()
    first = json.loads(runner.invoke(args=["verify", str(path), "--json"]).output)
    second = runner.invoke(args=["verify", str(path), "--json"])
    assert first["from_registry_cache"] is False
    assert json.loads(second.output)["from_registry_cache"] is True
    assert runner.invoke(args=["verify", str(path)]).output.count("来自登记缓存") == 1
