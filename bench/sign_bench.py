"""Signing benchmark: our PAdES path against bare pyHanko calls and against the naive pyHanko path.

On the same documents, in the same run, interleaved round by round so machine noise hits all alike:
  * ours   — ``responsibility.signing`` (certify / sign / add_document_timestamp): ECDSA key object
             held for the request, fixed ``bytes_reserved``, one shared validation context, the
             in-process TSA, a CJK appearance rendered with the font registered once;
  * bare   — the same work with direct pyHanko calls (same signer, timestamper, validation
             context, metadata and a pre-rendered appearance): the floor our wrapper adds to
             (target: ours ≤ 1.2 × bare);
  * naive  — stock ``SimpleSigner.load`` with RSA keys re-read (and validated) for every signature,
             stock ``DummyTimeStamper``, a new validation context per signature, no
             ``bytes_reserved``, pyHanko's OpenType text stamp subsetting the CJK font every time.
Each signature embeds revocation data (B-LT) and an RFC 3161 timestamp in all three paths.
Per agreement: certification + 4 approval signatures + document timestamp. Then the throughput of
our per-agreement path with 1 and N processes.

    .venv/bin/python bench/sign_bench.py [--rounds N] [--processes N] [--documents N] [--countersign]
    .venv/bin/python bench/sign_bench.py --countersign-only   # batch countersign on the demo county
"""

from __future__ import annotations

import argparse
import io
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from asn1crypto import keys as asn1_keys  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from fixtures.pki import (  # noqa: E402
    BUREAU_FIELDS,
    DOC_TS,
    FONT_PATH,
    LOCATION,
    LOCKS,
    REASON,
    SCHOOL_FIELDS,
    SEAL,
    Kit,
    Person,
    make_agreement_pdf,
    make_kit,
    make_person,
)
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.text import TextBoxStyle  # noqa: E402
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter  # noqa: E402
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, PdfTimeStamper, SimpleSigner  # noqa: E402
from pyhanko.sign.signers.pdf_signer import (  # noqa: E402
    DSSContentSettings,
    SigDSSPlacementPreference,
    TimestampDSSContentSettings,
)
from pyhanko.sign.timestamps import DummyTimeStamper  # noqa: E402
from pyhanko.stamp import StaticStampStyle, TextStampStyle  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402

from responsibility.signing import (  # noqa: E402
    add_document_timestamp,
    certificate_signer,
    certify,
    finish_signature,
    prepare_signature,
    sign,
    sign_attributes,
)
from responsibility.signing.appearance import _ImportedPdfBytes, render_stamp  # noqa: E402
from responsibility.signing.keys import to_asn1  # noqa: E402
from responsibility.signing.pades import BYTES_RESERVED, TIMESTAMP_BYTES_RESERVED  # noqa: E402

STEPS = [SEAL, *SCHOOL_FIELDS, *BUREAU_FIELDS]
DSS_SAME = DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False)
TS_DSS = TimestampDSSContentSettings(update_before_ts=True, include_vri=False)


def _people(kit: Kit) -> dict[str, Person]:
    return {
        SEAL: kit.seal,
        SCHOOL_FIELDS[0]: kit.party_head,
        SCHOOL_FIELDS[1]: kit.principal,
        BUREAU_FIELDS[0]: kit.party_secretary,
        BUREAU_FIELDS[1]: kit.chief,
    }


# --- ours -------------------------------------------------------------------------------------


def ours_agreement(kit: Kit, people: dict[str, Person], pdf: bytes, times: list[float]) -> bytes:
    context = kit.context()
    signers = {field: person.signer(kit.pki) for field, person in people.items()}  # keys opened once
    for field in STEPS:
        start = time.perf_counter()
        if field == SEAL:
            pdf = certify(pdf, field=SEAL, signer=signers[SEAL], timestamper=kit.timestamper,
                          validation_context=context, appearance=people[SEAL].appearance(kit.font, seal=True),
                          locked_fields=LOCKS, reason=REASON, location=LOCATION)  # fmt: skip
        else:
            pdf = sign(pdf, field=field, signer=signers[field], timestamper=kit.timestamper,
                       validation_context=context, appearance=people[field].appearance(kit.font),
                       reason=REASON, location=LOCATION)  # fmt: skip
        times.append(time.perf_counter() - start)
    return add_document_timestamp(pdf, timestamper=kit.timestamper, validation_context=context, field=DOC_TS)


# --- ours, prepared ahead (the countersign batch on the RQ workers) -------------------------------


def prepared_agreement(
    kit: Kit, people: dict[str, Person], pdf: bytes, ahead: list[float], moment: list[float]
) -> bytes:
    """Each approval signature prepared without the key (timed as ``ahead``), then the moment of
    signing (timed as ``moment``): the key over the signed attributes, the CMS with its timestamp,
    the placeholder filled. The acceptance gate, which follows either way, is not in either."""
    context = kit.context()
    pdf = certify(pdf, field=SEAL, signer=people[SEAL].signer(kit.pki), timestamper=kit.timestamper,
                  validation_context=context, appearance=people[SEAL].appearance(kit.font, seal=True),
                  locked_fields=LOCKS, reason=REASON, location=LOCATION)  # fmt: skip
    for field in STEPS[1:]:
        person = people[field]
        public = certificate_signer(person.certificate, kit.pki.person_chain)
        keyed = person.signer(kit.pki)  # the key, opened once as the batch's thread holds it
        start = time.perf_counter()
        prepared = prepare_signature(pdf, field=field, signer=public, timestamper=kit.timestamper,
                                     validation_context=context, appearance=person.appearance(kit.font),
                                     reason=REASON, location=LOCATION)  # fmt: skip
        ahead.append(time.perf_counter() - start)
        start = time.perf_counter()
        value = sign_attributes(keyed, prepared.signed_attributes)
        pdf = finish_signature(prepared, signer=public, signature=value, timestamper=kit.timestamper)
        moment.append(time.perf_counter() - start)
    return pdf


# --- bare pyHanko with the same settings --------------------------------------------------------


def _meta(field: str, context: ValidationContext, *, certify: bool) -> PdfSignatureMetadata:
    return PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", reason=REASON, location=LOCATION,
        subfilter=SigSeedSubFilter.PADES, embed_validation_info=True, validation_context=context,
        certify=certify, docmdp_permissions=MDPPerm.FILL_FORMS, dss_settings=DSS_SAME,
    )  # fmt: skip


def bare_agreement(
    kit: Kit, people: dict[str, Person], pdf: bytes, stamps: dict[str, bytes], times: list[float]
) -> bytes:
    context = kit.context()
    signers = {field: person.signer(kit.pki) for field, person in people.items()}
    for field in STEPS:
        start = time.perf_counter()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
        style = StaticStampStyle(background=_ImportedPdfBytes(stamps[field]), border_width=0)
        signer = PdfSigner(_meta(field, context, certify=field == SEAL), signers[field],
                           timestamper=kit.timestamper, stamp_style=style)  # fmt: skip
        pdf = signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED).getvalue()
        times.append(time.perf_counter() - start)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    out = PdfTimeStamper(kit.timestamper, field_name=DOC_TS).timestamp_pdf(
        writer, "sha256", context, bytes_reserved=TIMESTAMP_BYTES_RESERVED, dss_settings=TS_DSS
    )
    return out.getvalue()


# --- naive ----------------------------------------------------------------------------------------


def _naive_files(kit: Kit, directory: Path) -> dict[str, tuple[Path, Path]]:
    """RSA people whose keys and certificates are files, re-read for each signature."""
    chain = []
    for name, cert in (("issuing", kit.pki.issuing_certificate), ("root", kit.pki.root_certificate)):
        path = directory / f"{name}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        chain.append(path)
    files = {}
    for field, person in _people(kit).items():
        rsa = make_person(
            kit.pki, person.name, person.posts, person.organisation, "N-" + field.replace("_", "-"), kind="rsa-2048"
        )
        key_path, cert_path = directory / f"{field}.key", directory / f"{field}.crt"
        key_path.write_bytes(rsa.key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip
        cert_path.write_bytes(rsa.certificate.public_bytes(serialization.Encoding.PEM))
        files[field] = (key_path, cert_path)
    files["chain"] = tuple(chain)  # type: ignore[assignment]
    return files


def naive_agreement(kit: Kit, files: dict, pdf: bytes, times: list[float]) -> bytes:  # type: ignore[type-arg]
    tsa_key = asn1_keys.PrivateKeyInfo.load(kit.pki.tsa_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip

    def context() -> ValidationContext:
        return ValidationContext(trust_roots=[to_asn1(kit.pki.root_certificate)], crls=kit.crls,
                                 allow_fetching=False, revocation_mode="require")  # fmt: skip

    for field in STEPS:
        start = time.perf_counter()
        key_path, cert_path = files[field]
        signer = SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=[str(p) for p in files["chain"]])
        stamper = DummyTimeStamper(to_asn1(kit.pki.tsa_certificate), tsa_key)
        style = TextStampStyle(stamp_text="%(signer)s\n%(ts)s",
                               text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT_PATH))))  # fmt: skip
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
        pdf_signer = PdfSigner(_meta(field, context(), certify=field == SEAL), signer,
                               timestamper=stamper, stamp_style=style)  # fmt: skip
        pdf = pdf_signer.sign_pdf(writer, existing_fields_only=True).getvalue()
        times.append(time.perf_counter() - start)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    stamper = DummyTimeStamper(to_asn1(kit.pki.tsa_certificate), tsa_key)
    return (
        PdfTimeStamper(stamper, field_name=DOC_TS)
        .timestamp_pdf(writer, "sha256", context(), dss_settings=TS_DSS)
        .getvalue()
    )


# --- driver ---------------------------------------------------------------------------------------


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} ms"


_worker_state: dict = {}  # type: ignore[type-arg]


def _worker_init(pki_dir: str) -> None:
    kit = make_kit(Path(pki_dir))
    _worker_state.update(kit=kit, people=_people(kit), pdf=make_agreement_pdf())


def _worker_agreement(_: int) -> int:
    return len(ours_agreement(_worker_state["kit"], _worker_state["people"], _worker_state["pdf"], []))


def throughput(pki_dir: Path, processes: int, documents: int) -> float:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes, initializer=_worker_init, initargs=(str(pki_dir),)) as pool:
        pool.map(_worker_agreement, range(processes))  # warm up every worker
        start = time.perf_counter()
        pool.map(_worker_agreement, range(documents), chunksize=1)
        return documents / (time.perf_counter() - start)


# --- batch countersign throughput on the demo county (issue 4: the signing workflow) ------------

BENCH_PIN = "739184"


def _bench_app(db_file: Path, instance: Path):  # type: ignore[no-untyped-def]
    from responsibility import create_app

    return create_app(
        config={
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
            "SECRET_KEY": "bench-only-secret",
            "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
            "TESTING": True,
        },
        instance_path=instance,
    )


def _prepare_demo_county(tmp: Path) -> tuple[Path, Path, list[int], int]:
    """Demo county, instance PKI, a campaign generated and issued (certified by the bureau seal),
    every school head and the chief enrolled, every school side signed. Returns (database file,
    instance path, agreement ids ready for countersigning, chief person id)."""
    import datetime as dt

    from flask_migrate import upgrade
    from sqlalchemy import select

    from responsibility.agreements import PdfStore, create_campaign, generate, issue_campaign
    from responsibility.agreements.certification import certification_for_issue
    from responsibility.agreements.seal import ensure_seal
    from responsibility.agreements.signers_required import required_signers
    from responsibility.agreements.signing_flow import sign_agreement
    from responsibility.clock import today as county_today
    from responsibility.demo import load_demo
    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.jobs.transactions import commit_with_retry, unlock_and_commit
    from responsibility.models import Agreement, Person
    from responsibility.pki.enrolment import enrol
    from responsibility.pki.instance import ensure_instance_pki

    db_file, instance = tmp / "bench.sqlite3", tmp / "instance"
    app = _bench_app(db_file, instance)
    with app.app_context():
        session = db.session
        upgrade()
        load_demo(session, password="bench-demo-pass-2025")
        session.commit()
        pki, _ = ensure_instance_pki(instance, app.config, county_name="示例县", bureau_name="示例县教育局")
        ensure_seal(session, pki, app.config, actor="bench")  # as `flask pki init` does
        session.commit()
        context = instance_of(app)
        today = county_today()
        campaign = create_campaign(
            session, name="bench", start=today - dt.timedelta(days=5), end=today + dt.timedelta(days=100),
            actor="bench", base_url="http://127.0.0.1:5000",
        )  # fmt: skip
        store = PdfStore(instance / "agreements")
        generate(session, campaign, storage=store, actor="bench", workers=multiprocessing.cpu_count())
        session.commit()
        hook = certification_for_issue(session, context)
        issue_campaign(session, campaign, actor="bench", storage=store, allow_missing=True, certify=hook)
        session.commit()
        env = context.signing_environment(session)
        agreements = session.scalars(select(Agreement).where(Agreement.state == "issued")).all()
        plans = {a.id: required_signers(session, a, today, store=store) for a in agreements}
        people = {s.person_id for plan in plans.values() for s in plan.signatures if s.person_id}
        for person_id in sorted(people):
            enrol(session, pki, session.get_one(Person, person_id), BENCH_PIN, actor="bench")
        session.commit()
        unlocked: dict[int, object] = {}
        chief = None
        for agreement_id, plan in plans.items():
            for required in plan.signatures:
                person = session.get_one(Person, required.person_id)
                if required.stage == "bureau":
                    chief = person.id
                    continue
                if person.id not in unlocked:
                    unlocked[person.id] = unlock_and_commit(session, person, BENCH_PIN, pki=pki)
                key = unlocked[person.id]
                commit_with_retry(
                    session,
                    lambda a=agreement_id, p=person, k=key: sign_agreement(
                        session,
                        env,
                        a,
                        p,
                        k,
                        day=today,
                        actor="bench",  # type: ignore[arg-type]
                    ),
                )
        ready = list(session.scalars(select(Agreement.id).where(Agreement.state == "school_signed")))
        db.session.remove()
        db.engine.dispose()
    assert chief is not None
    return db_file, instance, ready, chief


def _countersign_chunk(args: tuple[str, str, list[int], int]) -> int:
    """One worker: its own app on the copied database, the chief's PIN entered once, then the
    chunk countersigned (each with its own timestamp and archive timestamp)."""

    from responsibility.agreements.signing_flow import sign_agreement
    from responsibility.clock import today as county_today
    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.jobs.transactions import commit_with_retry, unlock_and_commit
    from responsibility.models import Person

    db_file, instance, ids, chief_id = args
    app = _bench_app(Path(db_file), Path(instance))
    with app.app_context():
        session = db.session
        chief = session.get_one(Person, chief_id)
        context = instance_of(app)
        key = unlock_and_commit(session, chief, BENCH_PIN, pki=context.pki)
        env = context.signing_environment(session)
        done = 0
        for agreement_id in ids:
            outcome = commit_with_retry(
                session,
                lambda a=agreement_id: sign_agreement(session, env, a, chief, key, day=county_today(), actor="bench"),
            )
            done += outcome.state == "archived"
        db.session.remove()
        db.engine.dispose()
    return done


def countersign_throughput(processes: int) -> None:
    """Print batch-countersign throughput for the demo county with 1 and ``processes`` processes
    (each run on its own copy of the database; the PIN entered once per process)."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        setup_start = time.perf_counter()
        db_file, instance, ids, chief = _prepare_demo_county(Path(tmp))
        print(
            f"\ndemo county ready for countersigning: {len(ids)} agreements ({time.perf_counter() - setup_start:.0f} s setup)"
        )
        ctx = multiprocessing.get_context("fork")
        for n in sorted({1, processes}):
            copy = Path(tmp) / f"run-{n}.sqlite3"
            shutil.copyfile(db_file, copy)
            chunks = [(str(copy), str(instance), ids[i::n], chief) for i in range(n)]
            start = time.perf_counter()
            with ctx.Pool(n) as pool:
                archived = sum(pool.map(_countersign_chunk, chunks))
            elapsed = time.perf_counter() - start
            print(
                f"batch countersign (countersignature + archive timestamp, each checked), {n} process(es): "
                f"{archived}/{len(ids)} archived in {elapsed:.1f} s = {archived / elapsed:.1f} agreements/s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--documents", type=int, default=24, help="agreements for the throughput run")
    parser.add_argument(
        "--countersign", action="store_true", help="also: batch countersign throughput on the demo county"
    )
    parser.add_argument("--countersign-only", action="store_true", help="only the batch countersign throughput")
    args = parser.parse_args()
    if args.countersign_only:
        logging.getLogger("pyhanko").setLevel(logging.ERROR)
        countersign_throughput(args.processes)
        return
    # pyHanko warns on every signature that fetching is off; that is our policy, not news.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        pki_dir = Path(tmp) / "pki"
        kit = make_kit(pki_dir)
        people = _people(kit)
        files = _naive_files(kit, Path(tmp))
        blank = make_agreement_pdf()
        from datetime import UTC, datetime

        stamps = {
            field: render_stamp(
                person.appearance(kit.font, seal=field == SEAL), when=datetime.now(UTC), width=230, height=75
            )
            for field, person in people.items()
        }
        # Warm-up: imports, font registration, first validation of each chain.
        ours_agreement(kit, people, blank, [])
        bare_agreement(kit, people, blank, stamps, [])
        naive_agreement(kit, files, blank, [])

        sig = {"ours": [], "bare": [], "naive": []}  # type: ignore[var-annotated]
        agreement = {"ours": [], "bare": [], "naive": []}  # type: ignore[var-annotated]
        ahead: list[float] = []
        moment: list[float] = []
        prepared_agreement(kit, people, blank, [], [])
        for _ in range(args.rounds):
            agreement["bare"].append(_timed(lambda: bare_agreement(kit, people, blank, stamps, sig["bare"])))
            agreement["ours"].append(_timed(lambda: ours_agreement(kit, people, blank, sig["ours"])))
            agreement["naive"].append(_timed(lambda: naive_agreement(kit, files, blank, sig["naive"])))
            prepared_agreement(kit, people, blank, ahead, moment)

        print(f"medians of {args.rounds} rounds; one agreement = certification + 4 signatures + document timestamp\n")
        print(f"{'':32}{'ours':>11}{'bare pyHanko':>14}{'naive':>11}")
        print(f"{'per signature':32}{_ms(sig['ours']):>11}{_ms(sig['bare']):>14}{_ms(sig['naive']):>11}")
        print(
            f"{'per agreement':32}{_ms(agreement['ours']):>11}{_ms(agreement['bare']):>14}{_ms(agreement['naive']):>11}"
        )
        ratio_sig = statistics.median(sig["ours"]) / statistics.median(sig["bare"])
        ratio_doc = statistics.median(agreement["ours"]) / statistics.median(agreement["bare"])
        naive_sig = statistics.median(sig["naive"]) / statistics.median(sig["ours"])
        naive_doc = statistics.median(agreement["naive"]) / statistics.median(agreement["ours"])
        verdict = "OK" if max(ratio_sig, ratio_doc) <= 1.2 else "ABOVE TARGET"
        print(
            f"\nours / bare pyHanko: {ratio_sig:.2f}x per signature, {ratio_doc:.2f}x per agreement (target <= 1.2x: {verdict})"
        )
        print(f"naive / ours:        {naive_sig:.2f}x per signature, {naive_doc:.2f}x per agreement")
        steps = len(STEPS)  # each round's signatures: the certification, then the approvals
        bare_approval = [v for i, v in enumerate(sig["bare"]) if i % steps]
        ratio_moment = statistics.median(moment) / statistics.median(bare_approval)
        print(
            f"\nprepared ahead (an approval signature): prepared without the key {_ms(ahead).strip()}, then the moment"
            f" of signing (key + CMS + timestamp + fill) {_ms(moment).strip()} = {ratio_moment:.2f}x bare pyHanko's"
            f" approval signature ({_ms(bare_approval).strip()}; target <= 0.6x: "
            f"{'OK' if ratio_moment <= 0.6 else 'ABOVE TARGET'})"
        )

        if args.documents > 0:
            one = throughput(pki_dir, 1, max(2, args.documents // 2))
            many = throughput(pki_dir, args.processes, args.documents)
            print(
                f"\nthroughput (ours, whole agreements): 1 process {one:.1f}/s, {args.processes} processes {many:.1f}/s"
            )
    if args.countersign:
        countersign_throughput(args.processes)


if __name__ == "__main__":
    main()
