"""The workbook around the views: which journal the notebooks show, where exports go, and
the links from one notebook to the others.

* :func:`open_journal` is what every notebook opens: your journal (``data/journal.sqlite``
  or ``$AFTERVIEW_JOURNAL``), or the demo journal beside it once any page loaded the demo
  (:func:`show_demo`): a small marker file beside your journal says so, so the demo loaded
  in Today is what Messages, Reflect and the form show too, in Lab and in the app alike.
  :func:`show_own` goes back. Your own journal is never written by either.
* :func:`exports_dir`: ``exports/`` beside the journal in use (``.eml`` and ``.ics`` land
  there).
* :func:`page`: a view with those links above it, and a "demo" line while the demo is on.
* :func:`nav_html`: a line of links to every notebook of the workbook, found in its folder
  (so a new notebook is linked without code changes), titled by its first heading.

>>> import tempfile
>>> own = Path(tempfile.mkdtemp()) / "journal.sqlite"
>>> showing_demo(own), demo_path(own).name, exports_dir(own).name
(False, 'demo.sqlite', 'exports')
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import ipywidgets as ipw

from afterview_analysis.journal import Journal, default_path, workbook_root
from afterview_analysis.outputs import write_atomic
from afterview_analysis.widgets._common import css, esc

__all__ = [
    "demo_path",
    "exports_dir",
    "nav_html",
    "notebook_titles",
    "open_journal",
    "own_path",
    "page",
    "show_demo",
    "show_own",
    "showing_demo",
]

_MARKER_SUFFIX = ".showing-demo"


def own_path(path: str | Path | None = None) -> Path:
    """Your journal's file: ``path``, else ``$AFTERVIEW_JOURNAL``, else data/journal.sqlite."""
    return Path(path).expanduser() if path else default_path()


def demo_path(own: str | Path | None = None) -> Path:
    """The demo journal: ``demo.sqlite`` in the folder of your journal."""
    return own_path(own).parent / "demo.sqlite"


def _marker(own: Path) -> Path:
    return own.with_name(own.name + _MARKER_SUFFIX)


def showing_demo(own: str | Path | None = None) -> bool:
    """True once a page loaded the demo (and nobody went back to your journal since)."""
    own = own_path(own)
    return own != demo_path(own) and _marker(own).is_file()


def open_journal(path: str | Path | None = None) -> Journal:
    """The journal the workbook shows now: the demo while it is on, else yours."""
    own = own_path(path)
    return Journal(demo_path(own) if showing_demo(own) else own)


def show_demo(own: str | Path | None = None, demo: str | Path | None = None) -> Journal:
    """Fill the demo journal (once) and make every page show it; returns it, opened.

    The marker beside your journal is written all at once; when it cannot be, this raises
    an :class:`~afterview_analysis.outputs.OutputError` (one sentence) and nothing changes.
    """
    from afterview_analysis.demo import load_demo

    own = own_path(own)
    target = Path(demo) if demo else demo_path(own)
    journal = Journal(target)
    if journal.is_empty():
        load_demo(journal)
    if target != own and target == demo_path(own):
        # all at once (temporary file, rename): a full disk leaves no half-written marker
        try:
            write_atomic(_marker(own), f"{target}\n".encode(), journal=own)
        except BaseException:
            journal.close()
            raise
    return journal


def show_own(own: str | Path | None = None) -> Journal:
    """Every page shows your own journal again (the demo file is kept)."""
    own = own_path(own)
    _marker(own).unlink(missing_ok=True)
    return Journal(own)


def exports_dir(journal: Journal | str | Path) -> Path:
    """``exports/`` beside the journal in use (not created here)."""
    path = Path(journal.path if isinstance(journal, Journal) else journal)
    return path.parent / "exports"


# --------------------------------------------------------------------------- links

_HEADING = re.compile(r"^#\s+(?:\d+\s*·\s*)?(.+?)\s*$", re.MULTILINE)


def _notebooks_folder() -> Path:
    here = Path.cwd()
    if any(here.glob("*.ipynb")):
        return here
    return workbook_root() / "notebooks"


def notebook_titles(folder: str | Path | None = None) -> list[tuple[str, str]]:
    """(file name, title) of every notebook in ``folder``, in file-name order.

    The title is the notebook's first Markdown heading without its number ("# 2 · Reflect"
    gives "Reflect"); a notebook without one is named by its file.
    """
    folder = Path(folder) if folder else _notebooks_folder()
    out = []
    for path in sorted(folder.glob("*.ipynb")):
        title = path.stem.split("-", 1)[-1].replace("-", " ").capitalize()
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            cells = []
        for cell in cells:
            if cell.get("cell_type") == "markdown":
                found = _HEADING.search("".join(cell.get("source", "")))
                if found:
                    title = found[1]
                break
        out.append((path.name, title))
    return out


def nav_html(current: str = "", folder: str | Path | None = None) -> str:
    """Links to every notebook of the workbook (relative, so they work in Lab and the app);
    ``current`` (a file name, or its start such as "0-") is shown in bold, not linked."""
    parts = []
    for name, title in notebook_titles(folder):
        if current and name.startswith(current):
            parts.append(f"<b>{esc(title)}</b>")
        else:
            parts.append(f'<a href="{esc(name)}" class="av-nav-link" '
                         f'style="color:#0969da">{esc(title)}</a>')
    return ('<div class="av-nav-links" style="margin:2px 0 8px 0">'
            + " &nbsp;·&nbsp; ".join(parts) + "</div>")


def page(view: Any, here: str = "", own: str | Path | None = None) -> ipw.VBox:
    """``view`` (anything with a ``.widget``) under the links to the other notebooks, with a
    line saying so while the demo journal is shown; ``here`` names this notebook ("1-")."""
    journal = getattr(view, "journal", None)
    own = own_path(own)
    demo = journal is not None and Path(journal.path) != own and showing_demo(own)
    note = ("<p><b>DEMO journal</b> (made up, a separate file): go back to your own on "
            f'<a href="{esc(_first_notebook())}" style="color:#0969da">Today</a>.</p>'
            if demo else "")
    return css(ipw.VBox([css(ipw.HTML(nav_html(here)), "av-nav"),
                         css(ipw.HTML(note), "av-demo-note"), view.widget]), "av-page")


def _first_notebook() -> str:
    titles = notebook_titles()
    return titles[0][0] if titles else "0-today.ipynb"
