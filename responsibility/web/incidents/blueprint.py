"""The ``incidents`` blueprint object, in a module of its own (the route modules import it)."""

from flask import Blueprint

bp = Blueprint("incidents", __name__, template_folder="../templates")
