"""``make app``: the whole workbook as a Voila web app whose first page is Today.

Voila serving a folder opens on a file listing; the workbook's app opens where the
workbook does, on the first notebook (``0-today.ipynb``). The listing stays at
``/voila/tree`` and every page links to the others. Everything else is Voila's own
command line (``python -m afterview_analysis.app NOTEBOOKS --Voila.ip=127.0.0.1 ...``).
"""

from __future__ import annotations

from pathlib import Path

from tornado.web import RedirectHandler
from voila.app import Voila

__all__ = ["WorkbookApp", "first_page", "main"]


def first_page(root: str | Path) -> str | None:
    """The notebook the app opens on: the first ``.ipynb`` by name in ``root``.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("2-reflect.ipynb", "0-today.ipynb", "notes.txt"):
    ...     _ = (d / name).write_text("{}")
    >>> first_page(d)
    '0-today.ipynb'
    >>> first_page(d / "missing") is None
    True
    """
    root = Path(root)
    pages = sorted(p.name for p in root.glob("*.ipynb")) if root.is_dir() else []
    return pages[0] if pages else None


class WorkbookApp(Voila):
    """Voila, with ``/`` sent to the workbook's first page instead of the file listing."""

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        page = None if self.notebook_path else first_page(self.root_dir)
        if page is None:
            return handlers
        base = self.server_url.rstrip("/")
        home = (self.server_url, RedirectHandler, {"url": f"{base}/voila/render/{page}"})
        return [home, *handlers]


def main() -> None:
    """Run the app (Voila's options apply)."""
    WorkbookApp.launch_instance()


if __name__ == "__main__":
    main()
