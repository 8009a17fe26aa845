"""`flask demo …` commands."""

from __future__ import annotations

from flask.cli import AppGroup

group = AppGroup("demo", help="demo commands")
