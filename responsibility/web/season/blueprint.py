"""The ``season`` blueprint object, in a module of its own (the route modules import it)."""

from flask import Blueprint

bp = Blueprint("season", __name__, template_folder="../templates")
