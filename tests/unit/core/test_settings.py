"""The typed settings read from a configuration mapping, without an app."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from responsibility.settings import DEFAULT_TEMPLATE_ROOT, Settings


def test_defaults_follow_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings.from_config({}, tmp_path)
    assert settings.storage.agreements_dir == tmp_path / "agreements"
    assert settings.storage.pki_dir == tmp_path / "pki"
    assert settings.storage.fonts_dir == tmp_path / "fonts"
    assert settings.template_root == DEFAULT_TEMPLATE_ROOT and (DEFAULT_TEMPLATE_ROOT / "winter_spring").is_dir()
    assert settings.trust.tsa_url is None and settings.trust.pki_secret is None
    assert settings.jobs.workers >= 1 and settings.jobs.queue == "responsibility"
    assert settings.zone == "Asia/Shanghai"


def test_configured_values_are_typed(tmp_path: Path) -> None:
    settings = Settings.from_config(
        {
            "AGREEMENT_STORAGE_DIR": str(tmp_path / "pdfs"),
            "TSA_URL": " https://tsa.example/tsa ",
            "TSA_TIMEOUT": "3",
            "PKI_SECRET": 12345,  # the environment parser decodes numbers: keep their text
            "VERIFY_MAX_BYTES": 1000,
            "AGREEMENT_WORKERS": 0,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "EXTERNAL_TRUST_ROOTS": ["/a.pem"],
        },
        tmp_path,
    )
    assert settings.storage.agreements_dir == tmp_path / "pdfs"
    assert settings.trust.tsa_url == "https://tsa.example/tsa" and settings.trust.tsa_timeout == 3.0
    assert settings.trust.pki_secret == "12345" and "12345" not in repr(settings)
    assert settings.limits.verify_max_bytes == 1000 and settings.jobs.workers >= 1
    assert settings.jobs.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.trust.external_trust_roots == ("/a.pem",)


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = Settings.from_config({}, tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.zone = "UTC"  # type: ignore[misc]
