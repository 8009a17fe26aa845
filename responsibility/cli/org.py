"""`flask org …` commands."""

from __future__ import annotations

from flask.cli import AppGroup

group = AppGroup("org", help="org commands")
