"""The ``rosters`` blueprint object, in a module of its own (the route modules import it)."""

from flask import Blueprint

bp = Blueprint("rosters", __name__, template_folder="../templates")
"""``/rosters/<org_id>`` (+ ``/day``, ``/upload``), ``/rosters/template.xlsx``,
``/rosters/attendance``, ``/duty`` (+ ``/checkin``)."""
