"""The project's own fictional demo county and sample agreement contents: a *client* of the
domain, like the CLI (it may import ``org``, ``accounts``, ``audit``, ``models``, ``pdf`` and
``chain.gaps``; no domain package imports it).

:func:`build_demo_county` generates the county in the import format, :func:`load_demo` imports it
with working demo logins, :data:`PLANTED_PROBLEMS` lists what the gap report must find in it, and
:mod:`.samples` holds hand-made agreement contents for the tests and docs.
"""

from .county import DEFAULT_SEED, build_demo_county, planted_problems
from .load import DEMO_LOGINS, DemoLogin, DemoSummary, load_demo
from .problems import PLANTED_PROBLEMS, PlantedProblem, code_of
from .samples import sample_kindergarten, sample_large_school, sample_parameters

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "PLANTED_PROBLEMS",
    "DemoLogin",
    "DemoSummary",
    "PlantedProblem",
    "build_demo_county",
    "code_of",
    "load_demo",
    "planted_problems",
    "sample_kindergarten",
    "sample_large_school",
    "sample_parameters",
]
