"""Helpers for looking at a widget view in the kernel, as the page would show it."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as ipw


def walk(widget: ipw.Widget) -> Iterator[ipw.Widget]:
    """The widget and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def html_values(view) -> list[str]:
    """The value of every ``widgets.HTML`` in ``view.widget`` (what the page renders as HTML)."""
    return [w.value for w in walk(view.widget) if isinstance(w, ipw.HTML)]


def classes(view) -> set[str]:
    """Every CSS class on any widget of the view (the ``av-...`` hooks)."""
    return {c for w in walk(view.widget) for c in getattr(w, "_dom_classes", ())}
