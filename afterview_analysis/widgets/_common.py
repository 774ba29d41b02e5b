"""Small pieces every view shares: escaping, error slots, local times, CSS class names.

Views show user text only through :func:`esc` (``html.escape``) when it goes into an
``HTML`` widget; text inputs, text areas and dropdown labels render text, not markup.
"""

from __future__ import annotations

import html
import os
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import ipywidgets as ipw

__all__ = [
    "ERROR_STYLE",
    "OK_STYLE",
    "combine_local",
    "complete_url",
    "computer_zone",
    "css",
    "error_html",
    "esc",
    "labelled",
    "ok_html",
    "profile_links_html",
    "resolve_zone",
    "split_local",
    "zone_names",
]

OK_STYLE = "color:#1a7f37"
ERROR_STYLE = "color:#b42318"
_TIME = re.compile(r"\s*(\d{1,2})[:.h](\d{2})\s*")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_HOSTLIKE = re.compile(r"^[^\s/:@]+\.[^\s/:@]+(?:[/?#]\S*)?$")


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


def complete_url(text: str) -> str:
    """A web address as typed, with ``https://`` added when it starts with a host name.

    Anything else (already with a scheme, empty, not host-like) comes back unchanged, for
    the record's own check to judge.

    >>> complete_url("linkedin.com/in/ada"), complete_url(" www.ada.dev ")
    ('https://linkedin.com/in/ada', 'https://www.ada.dev')
    >>> complete_url("http://ada.dev"), complete_url("ada"), complete_url("")
    ('http://ada.dev', 'ada', '')
    """
    value = (text or "").strip()
    if not value or _SCHEME.match(value) or not _HOSTLIKE.match(value):
        return value
    return f"https://{value}"


def zone_names() -> list[str]:
    """Every IANA time zone name this computer knows, sorted (the picker's options)."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def resolve_zone(text: str) -> str:
    """The IANA zone a user meant: exact, any case, or a unique city ("Berlin").

    Returns the text unchanged (for the record's check to refuse) when it names no zone
    or several.

    >>> resolve_zone("Berlin"), resolve_zone("europe/paris"), resolve_zone("new york")
    ('Europe/Berlin', 'Europe/Paris', 'America/New_York')
    >>> resolve_zone("Mars/Olympus")
    'Mars/Olympus'
    """
    value = (text or "").strip()
    names = zone_names()
    if value in names:
        return value
    wanted = value.replace(" ", "_").lower()
    exact = [z for z in names if z.lower() == wanted]
    if exact:
        return exact[0]
    cities = [z for z in names if z.lower().rsplit("/", 1)[-1] == wanted]
    return cities[0] if len(cities) == 1 else value


def computer_zone() -> str:
    """This computer's IANA time zone (``$TZ``, /etc/timezone, /etc/localtime), else UTC."""
    names = set(zone_names())
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        candidates.append("")
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name in ("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UTC"):
            return "UTC"  # the plain name for the same zone
        if name in names:
            return name
    return "UTC"


def profile_links_html(profile: Any) -> str:
    """The user's online profiles (LinkedIn first) as escaped links to review, or where to
    add them when there are none."""
    from afterview_analysis.rules import profile_links

    links = profile_links(profile)
    if not links:
        return ("<small>add your profile links (LinkedIn, GitHub, website) under "
                "<i>Your profile</i> on Today to get them here</small>")
    return " · ".join(
        f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer" '
        f'class="av-profile-link" style="color:#0969da">{esc(label)}</a>'
        for label, url in links)
