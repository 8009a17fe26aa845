"""Configuration layering without an app: env overrides, URL normalisation, instance config."""

from pathlib import Path

from responsibility.config import env_overrides, normalise_database_url, write_instance_config


def test_env_overrides_decode_json_and_read_database_url():
    found = env_overrides(
        {
            "RESPONSIBILITY_MAX_CONTENT_LENGTH": "1024",
            "RESPONSIBILITY_PUBLIC_BASE_URL": "https://x.example",
            "RESPONSIBILITY_INSTANCE_PATH": "/ignored",
            "DATABASE_URL": "postgresql://u@h/db",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "OTHER": "1",
        }
    )
    assert found == {
        "MAX_CONTENT_LENGTH": 1024,
        "PUBLIC_BASE_URL": "https://x.example",
        "SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
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
