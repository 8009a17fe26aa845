"""Configuration layering without an app: env overrides, URL normalisation, instance config."""

from pathlib import Path

from flask import Config

from responsibility.config import apply_environment, normalise_database_url, platform_env, write_instance_config


def test_env_overrides_decode_json_and_read_database_url(monkeypatch, tmp_path):
    import os

    for key in [k for k in os.environ if k.startswith("RESPONSIBILITY_")]:
        monkeypatch.delenv(key)
    for key, value in {
        "RESPONSIBILITY_MAX_CONTENT_LENGTH": "1024",
        "RESPONSIBILITY_PUBLIC_BASE_URL": "https://x.example",
        "RESPONSIBILITY_INSTANCE_PATH": "/ignored",
        "DATABASE_URL": "postgresql://u@h/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "OTHER": "1",
    }.items():
        monkeypatch.setenv(key, value)
    config = Config(str(tmp_path))
    apply_environment(config)
    assert dict(config) == {
        "MAX_CONTENT_LENGTH": 1024,
        "PUBLIC_BASE_URL": "https://x.example",
        "SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }


def test_platform_env_reads_only_the_unprefixed_urls():
    assert platform_env({"DATABASE_URL": "sqlite://", "RESPONSIBILITY_X": "1"}) == {
        "SQLALCHEMY_DATABASE_URI": "sqlite://"
    }


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_instance_config_is_created_once_with_a_random_secret(tmp_path: Path):
    instance = tmp_path / "inst"
    assert write_instance_config(instance) is True
    first = (instance / "config.py").read_text()
    assert "SECRET_KEY = '" in first
    assert (instance / "config.py").stat().st_mode & 0o077 == 0
    assert write_instance_config(instance) is False
    assert (instance / "config.py").read_text() == first
    other = tmp_path / "other"
    write_instance_config(other)
    assert (other / "config.py").read_text() != first
