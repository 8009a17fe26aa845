"""The instance's settings as one typed, frozen object, read once from the app's configuration.

``create_app`` builds :class:`Settings` from ``app.config`` and the instance folder (see
``responsibility.instance``); the web and the CLI reach it through one accessor each, and hand it
(or the part a service needs) to services as arguments. Services therefore never read a raw
configuration mapping or climb to the instance folder themselves, and a worker process that has
no Flask app rebuilds the same object from :meth:`Settings.from_config` with the values its job
carried.

Nothing here imports Flask or a domain package: this module is a leaf, like ``errors``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings_work import IncidentSettings, PatrolSettings, incident_settings, patrol_settings

__all__ = [
    "DEFAULT_QUEUE",
    "DEFAULT_TEMPLATE_ROOT",
    "HazardSettings",
    "JobsSettings",
    "LimitSettings",
    "MailSettings",
    "Settings",
    "StorageSettings",
    "TrustSettings",
]

DEFAULT_TEMPLATE_ROOT = Path(__file__).resolve().parent.parent / "pdf_templates"
DEFAULT_QUEUE = "responsibility"
DEFAULT_TSA_TIMEOUT = 10.0
DEFAULT_SIGNED_UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # verify.acceptance.DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class StorageSettings:
    """Where the instance keeps its files."""

    instance_dir: Path
    agreements_dir: Path
    """The content-addressed PDF store (``AGREEMENT_STORAGE_DIR``, default ``<instance>/agreements``)."""
    pki_dir: Path
    """The CA, TSA and seal keys (``<instance>/pki``)."""
    fonts_dir: Path
    """Faces extracted from font collections for signature appearances (``<instance>/fonts``)."""


@dataclass(frozen=True)
class TrustSettings:
    """The PKI, the timestamp authority and what signing and verification trust."""

    pki_secret: str | bytes | None = field(default=None, repr=False)
    """``PKI_SECRET``; None: the random file ``<instance>/pki/secret``."""
    county_name: str | None = None
    bureau_name: str | None = None
    public_base_url: str = ""
    """Printed in QR codes and the CRL URLs of new certificates."""
    tsa_url: str | None = None
    """None: the app's own TSA, in-process."""
    tsa_timeout: float = DEFAULT_TSA_TIMEOUT
    stamp_font: Path | None = None
    signing_key_kind: str = "ecdsa-p256"
    pin_min_digits: int = 6
    external_trust_roots: tuple[str, ...] = ()
    """PEM files of external CAs accepted for bring-your-own PKCS#12."""
    verify_extra_roots: tuple[str, ...] = ()
    """Further roots the public verifier trusts beside the county root."""


DEFAULT_LIVE_REPORT_SCHOOLS = 2000
"""At 2,000 schools the checks take a few seconds (≈ 1 s at 600, ≈ 2.5 s at 6,000: bench/README)."""


@dataclass(frozen=True)
class LimitSettings:
    """Sizes and times that protect the server."""

    max_content_length: int | None = None
    import_max_bytes: int | None = None
    signed_upload_max_bytes: int = DEFAULT_SIGNED_UPLOAD_MAX_BYTES
    verify_max_bytes: int | None = None
    verify_time_limit: float | None = None
    verify_isolate: bool = True
    signing_grace_days: int = 0
    """Days after a campaign's term on which its agreements may still be signed
    (``SIGNING_GRACE_DAYS``; ``agreements.signing_window``)."""
    live_report_schools: int = DEFAULT_LIVE_REPORT_SCHOOLS
    """``LIVE_REPORT_SCHOOLS``: up to this many schools the gap report and the season board are
    computed on each view; above, their pages read the stored ones (``chain.gaps.snapshots``,
    ``board.season``)."""


@dataclass(frozen=True)
class MailSettings:
    """Notification mail (``notify.mail``); ``host`` None sends none (in-app notifications only)."""

    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    sender: str = "noreply@localhost"
    base_url: str = ""
    """``PUBLIC_BASE_URL`` without a trailing slash: links in mails point there."""
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        return cls(
            host=config.get("SMTP_HOST") or None,
            port=int(config.get("SMTP_PORT") or 25),
            user=config.get("SMTP_USER") or None,
            password=config.get("SMTP_PASSWORD") or None,
            starttls=bool(config.get("SMTP_STARTTLS")),
            sender=str(config.get("MAIL_FROM") or "noreply@localhost"),
            base_url=str(config.get("PUBLIC_BASE_URL") or "").rstrip("/"),
        )

    @property
    def enabled(self) -> bool:
        return bool(self.host)


DEFAULT_REPORT_REFRESH_MINUTES = 15


@dataclass(frozen=True)
class JobsSettings:
    """Where batches run: RQ workers when ``redis_url`` is set, else a thread of this process."""

    database_url: str = ""
    redis_url: str | None = None
    queue: str = DEFAULT_QUEUE
    workers: int = 1
    """Processes rendering a whole county (``AGREEMENT_WORKERS``, default the CPU count)."""
    report_refresh_minutes: int = DEFAULT_REPORT_REFRESH_MINUTES
    """``REPORT_REFRESH_MINUTES``: how often ``flask jobs cron`` queues the refresh of the stored
    gap report and season board."""


@dataclass(frozen=True)
class HazardSettings:
    """The hazard loop (``responsibility.hazards``): photo limits, supervision and escalation delays."""

    photo_max_bytes: int = 10 * 1024 * 1024
    """``HAZARD_PHOTO_MAX_BYTES``: an uploaded photo larger than this is refused."""
    photo_max_pixels: int = 40_000_000
    """``HAZARD_PHOTO_MAX_PIXELS``: width × height above this is refused (decompression bombs)."""
    photo_max_edge: int = 2048
    """``HAZARD_PHOTO_MAX_EDGE``: the stored copy is scaled down to fit this many pixels."""
    supervision_days: int = 7
    """``HAZARD_SUPERVISION_DAYS``: a 重大 hazard must be listed for supervision within this many
    days of being found."""
    escalation_days: tuple[int, ...] = (0, 3, 3, 3, 3)
    """``HAZARD_ESCALATION_DAYS``: days after the deadline (first entry) and then after the previous
    level before each next level of the grid's chain is notified."""


DateSpan = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class SeasonSettings:
    """The season's work (``responsibility.season``): who may lead a duty day, the holidays a
    roster check highlights, the home-visit categories. Defaults from the domain reference."""

    leading_posts: frozenset[str] = frozenset(
        {"B01", "B02", "B03", "B04", "B05", "S01", "S02", "S03", "S04", "S05", "S06", "S22", "S24"}
    )
    """``ROSTER_LEADING_POSTS``: post codes whose holder may be 带班领导 (三级带班: leaders and
    middle managers), judged on the day of duty."""
    winter_break: tuple[DateSpan, ...] = ()
    """``ROSTER_WINTER_BREAK``: 寒假 spans ``YYYY-MM-DD/YYYY-MM-DD`` (comma separated)."""
    spring_festival: tuple[DateSpan, ...] = ()
    """``ROSTER_SPRING_FESTIVAL``: 春节 spans, same form."""
    visit_categories: tuple[str, ...] = (
        "留守儿童",
        "困境儿童",
        "心理关注学生",
        "学业困难学生",
        "残疾学生",
        "单亲家庭学生",
    )
    """``VISIT_CATEGORIES``: the key-student categories home visits are counted by."""
    fire_plan_max_bytes: int = 10 * 1024 * 1024
    """``FIRE_PLAN_MAX_BYTES``: an evacuation plan PDF larger than this is refused."""
    education_topics: tuple[str, ...] = (
        "anti_fraud", "fire", "holiday", "traffic", "drowning", "bullying", "mental_health", "drill",
    )  # fmt: skip
    """``EDUCATION_TOPICS``: the safety education topics sessions are recorded under (codes;
    反诈 anti_fraud, 消防 fire, 假期 holiday and 应急疏散演练 drill feed targets)."""


@dataclass(frozen=True)
class Settings:
    """Everything a service may need to know about this instance, typed and frozen."""

    storage: StorageSettings
    template_root: Path
    trust: TrustSettings
    limits: LimitSettings
    mail: MailSettings
    jobs: JobsSettings
    zone: str = "Asia/Shanghai"
    """The configured display zone (``BABEL_DEFAULT_TIMEZONE``)."""
    hazards: HazardSettings = field(default_factory=HazardSettings)
    season: SeasonSettings = field(default_factory=SeasonSettings)
    patrols: PatrolSettings = field(default_factory=PatrolSettings)
    incidents: IncidentSettings = field(default_factory=IncidentSettings)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str | os.PathLike[str]) -> Settings:
        """Read the settings from a Flask-style configuration mapping (the app's, or the values a
        queued job carried to a worker); missing keys take the documented defaults."""
        instance = Path(instance_path)
        return cls(
            storage=StorageSettings(
                instance_dir=instance,
                agreements_dir=Path(config.get("AGREEMENT_STORAGE_DIR") or instance / "agreements"),
                pki_dir=instance / "pki",
                fonts_dir=instance / "fonts",
            ),
            template_root=Path(config.get("AGREEMENT_TEMPLATE_ROOT") or DEFAULT_TEMPLATE_ROOT),
            trust=_trust(config),
            limits=_limits(config),
            mail=MailSettings.from_config(config),
            jobs=JobsSettings(
                database_url=str(config.get("SQLALCHEMY_DATABASE_URI") or ""),
                redis_url=config.get("REDIS_URL") or None,
                queue=str(config.get("RQ_QUEUE") or DEFAULT_QUEUE),
                workers=max(1, int(config.get("AGREEMENT_WORKERS") or os.cpu_count() or 1)),
                report_refresh_minutes=max(
                    1, int(_set_or(config.get("REPORT_REFRESH_MINUTES"), DEFAULT_REPORT_REFRESH_MINUTES))
                ),
            ),
            zone=str(config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai"),
            hazards=_hazards(config),
            season=_season(config),
            patrols=patrol_settings(config),
            incidents=incident_settings(config),
        )


def _trust(config: Mapping[str, Any]) -> TrustSettings:
    secret = config.get("PKI_SECRET")
    if secret is not None and not isinstance(secret, (str, bytes)):
        secret = str(secret)  # a number the environment parser decoded: its text, as before
    font = config.get("STAMP_FONT")
    return TrustSettings(
        pki_secret=secret or None,
        county_name=config.get("PKI_COUNTY_NAME") or None,
        bureau_name=config.get("PKI_BUREAU_NAME") or None,
        public_base_url=str(config.get("PUBLIC_BASE_URL") or "").strip(),
        tsa_url=str(config.get("TSA_URL") or "").strip() or None,
        tsa_timeout=float(config.get("TSA_TIMEOUT") or DEFAULT_TSA_TIMEOUT),
        stamp_font=Path(font) if font else None,
        signing_key_kind=str(config.get("SIGNING_KEY_KIND") or "ecdsa-p256"),
        pin_min_digits=int(config.get("PIN_MIN_DIGITS") or 6),
        external_trust_roots=tuple(str(p) for p in config.get("EXTERNAL_TRUST_ROOTS") or ()),
        verify_extra_roots=tuple(str(p) for p in config.get("VERIFY_EXTRA_ROOTS") or ()),
    )


def _set_or(value: Any, default: Any) -> Any:
    """``value`` unless unset (None or empty); unlike ``value or default``, 0 is a setting."""
    return default if value is None or value == "" else value


def _limits(config: Mapping[str, Any]) -> LimitSettings:
    def optional_int(key: str) -> int | None:
        value = config.get(key)
        return int(value) if value else None

    time_limit = config.get("VERIFY_TIME_LIMIT")
    return LimitSettings(
        max_content_length=optional_int("MAX_CONTENT_LENGTH"),
        import_max_bytes=optional_int("IMPORT_MAX_BYTES"),
        signed_upload_max_bytes=int(config.get("SIGNED_UPLOAD_MAX_BYTES") or DEFAULT_SIGNED_UPLOAD_MAX_BYTES),
        verify_max_bytes=optional_int("VERIFY_MAX_BYTES"),
        verify_time_limit=float(time_limit) if time_limit else None,
        verify_isolate=bool(config.get("VERIFY_ISOLATE", True)),
        signing_grace_days=max(0, int(config.get("SIGNING_GRACE_DAYS") or 0)),
        live_report_schools=max(0, int(_set_or(config.get("LIVE_REPORT_SCHOOLS"), DEFAULT_LIVE_REPORT_SCHOOLS))),
    )


def _hazards(config: Mapping[str, Any]) -> HazardSettings:
    default = HazardSettings()
    delays = config.get("HAZARD_ESCALATION_DAYS")
    if isinstance(delays, str):
        delays = [d for d in delays.replace(",", " ").split() if d]
    return HazardSettings(
        photo_max_bytes=int(config.get("HAZARD_PHOTO_MAX_BYTES") or default.photo_max_bytes),
        photo_max_pixels=int(config.get("HAZARD_PHOTO_MAX_PIXELS") or default.photo_max_pixels),
        photo_max_edge=int(config.get("HAZARD_PHOTO_MAX_EDGE") or default.photo_max_edge),
        supervision_days=int(config.get("HAZARD_SUPERVISION_DAYS") or default.supervision_days),
        escalation_days=tuple(max(0, int(d)) for d in delays) if delays else default.escalation_days,
    )


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [w for w in value.replace(",", " ").split() if w]
    return [str(w) for w in value or ()]


def _spans(value: Any) -> tuple[DateSpan, ...]:
    spans = []
    for word in _words(value):
        start, _, end = word.partition("/")
        spans.append((dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)))
    return tuple(spans)


def _season(config: Mapping[str, Any]) -> SeasonSettings:
    default = SeasonSettings()
    posts = _words(config.get("ROSTER_LEADING_POSTS"))
    categories = _words(config.get("VISIT_CATEGORIES"))
    topics = _words(config.get("EDUCATION_TOPICS"))
    return SeasonSettings(
        leading_posts=frozenset(posts) if posts else default.leading_posts,
        winter_break=_spans(config.get("ROSTER_WINTER_BREAK")),
        spring_festival=_spans(config.get("ROSTER_SPRING_FESTIVAL")),
        visit_categories=tuple(categories) if categories else default.visit_categories,
        fire_plan_max_bytes=int(config.get("FIRE_PLAN_MAX_BYTES") or default.fire_plan_max_bytes),
        education_topics=tuple(topics) if topics else default.education_topics,
    )
