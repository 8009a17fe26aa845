"""Rendering many agreements: in this process, or on a pool of processes for a whole county.

Only bytes cross the process boundary: the parent composes the contents from the database and
writes files and rows; children only run ``render_agreement``. A child loads the template by
version from the same root and checks its hash, so it renders exactly the parent's template.
Each result is either the PDF bytes or the one-line reason the render refused the content, so
one bad school never stops the batch. Results come back in input order (determinism).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from ..pdf import AgreementContent, AgreementTemplate, load_template, render_agreement

__all__ = ["RenderResult", "render_all", "renderer"]


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes | None
    error: str | None = None


def _render_one(template: AgreementTemplate, content: AgreementContent) -> RenderResult:
    try:
        return RenderResult(render_agreement(template, content))
    except BadInput as exc:
        return RenderResult(None, str(exc))


_CHILD_TEMPLATE: AgreementTemplate | None = None


def _child_init(version: str, root: str, content_hash: str) -> None:
    global _CHILD_TEMPLATE
    template = load_template(version, Path(root))
    if template.content_hash != content_hash:
        raise RuntimeError(f"template {version} changed while the batch started")
    _CHILD_TEMPLATE = template


def _child_render(content: AgreementContent) -> RenderResult:
    assert _CHILD_TEMPLATE is not None
    return _render_one(_CHILD_TEMPLATE, content)


@contextmanager
def renderer(
    template: AgreementTemplate, *, template_root: Path, workers: int = 1
) -> Iterator[Callable[[Sequence[AgreementContent]], Iterator[RenderResult]]]:
    """A function rendering a batch of contents in order, valid inside the ``with`` block.

    ``workers`` > 1 keeps that many spawned (never forked) processes for the whole block: the
    caller may be a web server thread or an RQ work horse holding database connections and
    locks, which a fork would copy.
    """
    if workers <= 1:
        yield lambda items: (_render_one(template, c) for c in items)
        return
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_child_init,
        initargs=(template.version, str(template_root), template.content_hash),
    ) as pool:
        yield lambda items: pool.map(_child_render, items, chunksize=1)


def render_all(
    template: AgreementTemplate,
    contents: Iterable[AgreementContent],
    *,
    template_root: Path,
    workers: int = 1,
) -> Iterator[RenderResult]:
    """Render ``contents`` in order (see :func:`renderer`)."""
    items = list(contents)
    with renderer(template, template_root=template_root, workers=workers if len(items) > 1 else 1) as render:
        yield from render(items)
