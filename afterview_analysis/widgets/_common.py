"""Small pieces every view shares: escaping, error slots, local times, CSS class names.

Views show user text only through :func:`esc` (``html.escape``) when it goes into an
``HTML`` widget; text inputs, text areas and dropdown labels render text, not markup.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import ipywidgets as ipw

__all__ = [
    "ERROR_STYLE",
    "OK_STYLE",
    "combine_local",
    "css",
    "error_html",
    "esc",
    "labelled",
    "ok_html",
    "split_local",
]

OK_STYLE = "color:#1a7f37"
ERROR_STYLE = "color:#b42318"
_TIME = re.compile(r"\s*(\d{1,2})[:.h](\d{2})\s*")


def esc(value: Any) -> str:
    """``value`` as text that is safe inside an HTML widget."""
    return html.escape("" if value is None else str(value), quote=True)


def error_html(message: str | None) -> str:
    """The value of an error slot: empty, or the message (escaped) in red."""
    if not message:
        return ""
    return f'<span style="{ERROR_STYLE}">⚠ {esc(message)}</span>'


def ok_html(message: str) -> str:
    return f'<span style="{OK_STYLE}">✔ {esc(message)}</span>'


def css(widget: ipw.Widget, *classes: str) -> ipw.Widget:
    """Add CSS classes (the stable hooks browser tests use) and return the widget."""
    for name in classes:
        widget.add_class(name)
    return widget


def labelled(control: ipw.Widget, error: ipw.HTML) -> ipw.VBox:
    """A control with its error slot right under it."""
    return ipw.VBox([control, error], layout=ipw.Layout(margin="0 0 2px 0"))


def split_local(moment: datetime | None, zone: str) -> tuple[date | None, str]:
    """A UTC moment as (local date, "HH:MM") in ``zone``; ``(None, "")`` for None.

    >>> from datetime import UTC
    >>> split_local(datetime(2026, 3, 2, 8, 30, tzinfo=UTC), "Europe/Berlin")
    (datetime.date(2026, 3, 2), '09:30')
    """
    if moment is None:
        return None, ""
    local = moment.astimezone(ZoneInfo(zone))
    return local.date(), local.strftime("%H:%M")


def combine_local(day: date | None, clock: str, zone: str) -> datetime:
    """A local date and an "HH:MM" text in ``zone`` as an aware datetime.

    Raises ValueError with the rule in words.

    >>> combine_local(date(2026, 3, 2), "9:30", "Europe/Berlin").isoformat()
    '2026-03-02T09:30:00+01:00'
    >>> combine_local(date(2026, 3, 2), "25:00", "UTC")
    Traceback (most recent call last):
    ...
    ValueError: the time must be like 09:30 (hours 0-23, minutes 0-59)
    """
    if day is None:
        raise ValueError("needs a date")
    match = _TIME.fullmatch(clock or "")
    rule = "the time must be like 09:30 (hours 0-23, minutes 0-59)"
    if not match:
        raise ValueError(rule)
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        raise ValueError(rule)
    return datetime.combine(day, time(hours, minutes), ZoneInfo(zone))
