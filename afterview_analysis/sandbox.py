"""The sandbox user templates render in: Jinja2's, with bounds on time and size.

Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment` already keeps a template away from
Python's internals. A letter template must also be unable to run for ever or to allocate
gigabytes before the draft's size limit is checked, so :class:`BoundedSandbox` adds:

* a **time limit** on every render (:func:`deadline`, :data:`RENDER_SECONDS`): loops over
  large ranges, however nested, stop with one line;
* **caps checked before the work is done**: string and list repetition (``*``), powers and
  products of huge integers, ``%`` and ``format`` widths, ``ljust``/``rjust``/``center``/
  ``zfill``/``expandtabs``, ``replace``, ``join``, and the ``center``, ``indent``,
  ``format``, ``replace``, ``batch`` and ``slice`` filters.

Every error a template raises (a division by zero, endless recursion, a bad ``format``)
becomes one :class:`TemplateLimitError` line naming the template: see :func:`explain`.

>>> env = BoundedSandbox()
>>> env.from_string("{{ 'ab' * 2 }}").render()
'abab'
>>> try:
...     env.from_string("{{ 'x'.ljust(10**9) }}").render()
... except Exception as exc:
...     print(explain(exc, "t.j2"))
template t.j2: refused: a width of 1000000000 (at most 10,000)
"""

from __future__ import annotations

import re
import string
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from afterview_analysis.records import AfterviewError

__all__ = [
    "INT_BITS",
    "OUTPUT_LIMIT",
    "RENDER_SECONDS",
    "WIDTH_LIMIT",
    "BoundedSandbox",
    "TemplateLimitError",
    "deadline",
    "explain",
]

#: Characters (or items) any one value a template builds may have: a message body's limit.
OUTPUT_LIMIT = 50_000
#: The largest width or count a template may ask for (padding, ``format``, ``batch``).
WIDTH_LIMIT = 10_000
#: The largest integer a template may compute, in bits (about 1,200 decimal digits).
INT_BITS = 4_000
#: How long one render may take.
RENDER_SECONDS = 2.0


class TemplateLimitError(AfterviewError):
    """A template went past a bound of the sandbox, or failed while rendering."""


def _refuse(why: str) -> None:
    raise SecurityError(why)


def _width(n: Any) -> None:
    if isinstance(n, int) and abs(n) > WIDTH_LIMIT:
        _refuse(f"a width of {n} (at most {WIDTH_LIMIT:,})")


def _size(n: int) -> None:
    if n > OUTPUT_LIMIT:
        _refuse(f"a value of {n:,} characters or items (at most {OUTPUT_LIMIT:,})")


def _int_bits(bits: int) -> None:
    if bits > INT_BITS:
        _refuse(f"an integer of about {bits:,} bits (at most {INT_BITS:,})")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")


def _percent_specs(fmt: str, args: Any) -> None:
    """Widths and precisions of ``fmt % args``: numbers in the format, and ``*`` values."""
    for width, precision in _PERCENT_SPEC.findall(fmt):
        for part in (width, precision):
            if part and part != "*":
                _width(int(part))
    for value in args if isinstance(args, tuple) else (args,):
        if isinstance(value, int) and "*" in fmt:
            _width(value)


def _format_specs(fmt: str) -> None:
    """Every number in the format specs of ``fmt.format(...)``, nested ones included."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself will say what is wrong
    for _, _, spec, _ in fields:
        if spec:
            for number in re.findall(r"\d+", spec):
                _width(int(number))
            _format_specs(spec)


def _replace_size(text: str, old: str, new: str, count: int = -1) -> None:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    _size(len(text) + hits * (len(new) - len(old)))


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox with the caps listed in the module docstring."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters.update(_bounded_filters(self.filters))

    def call_binop(self, context, operator, left, right):  # type: ignore[override]
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(right) > 64:
                _refuse("an exponent above 64")
            _int_bits(max(left.bit_length(), 1) * max(right, 1))
        if operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _int_bits(left.bit_length() + right.bit_length())
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int):
                    _size(len(seq) * n)
        if operator == "%" and isinstance(left, str):
            _percent_specs(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # type: ignore[override]  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in ("ljust", "rjust", "center", "zfill") and args:
                _width(args[0])
            elif name == "expandtabs":
                size = args[0] if args else kwargs.get("tabsize", 8)
                _width(size)
                if isinstance(size, int):
                    _size(len(owner) + owner.count("\t") * max(size, 0))
            elif name == "replace" and len(args) >= 2:
                if isinstance(args[0], str) and isinstance(args[1], str):
                    _replace_size(owner, args[0], args[1], *args[2:3])
            elif name in ("format", "format_map"):
                _format_specs(owner)
            elif name == "join" and args:
                items = args[0]
                if hasattr(items, "__len__"):
                    _size(len(owner) * len(items))
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's filters that take a width or count, checked before they run."""
    center, indent, fmt = filters["center"], filters["indent"], filters["format"]
    replace, batch, slice_ = filters["replace"], filters["batch"], filters["slice"]

    def bounded_center(value: Any, width: int = 80) -> str:
        _width(width)
        return center(value, width)

    def bounded_indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> str:
        pad = len(width) if isinstance(width, str) else width
        _width(pad)
        if isinstance(pad, int):
            _size(len(str(value)) + (str(value).count("\n") + 1) * max(pad, 0))
        return indent(value, width, *args, **kwargs)

    def bounded_format(value: Any, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            _percent_specs(value, args or kwargs)
        return fmt(value, *args, **kwargs)

    def bounded_replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None):
        if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
            _replace_size(value, old, new, count if isinstance(count, int) else -1)
        return replace(eval_ctx, value, old, new, count)

    def bounded_batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        _width(linecount)
        return batch(value, linecount, fill_with)

    def bounded_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
        _width(slices)
        return slice_(value, slices, fill_with)

    # Jinja passes the evaluation context to a filter marked as wanting it
    bounded_replace.jinja_pass_arg = replace.jinja_pass_arg  # type: ignore[attr-defined]
    return {"center": bounded_center, "indent": bounded_indent, "format": bounded_format,
            "replace": bounded_replace, "batch": bounded_batch, "slice": bounded_slice}


@contextmanager
def deadline(name: str, seconds: float = RENDER_SECONDS) -> Iterator[None]:
    """Stop template code (code compiled from a ``.j2`` file or a string) that runs longer
    than ``seconds``: a trace function, in this thread only, on the template's own frames.
    """
    end = time.monotonic() + seconds

    def in_template(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > end:
            raise TemplateLimitError(
                f"template {name}: stopped after {seconds:g} s (a loop too large?)"
            )
        return in_template

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        filename = frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            return in_template(frame, event, arg)
        return None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        yield
    finally:
        sys.settrace(previous)


def explain(exc: BaseException, name: str) -> str:
    """One line for whatever a template raised while rendering, naming the template."""
    if isinstance(exc, TemplateLimitError):
        return str(exc)
    if isinstance(exc, SecurityError):
        return f"template {name}: refused: {exc}"
    if isinstance(exc, RecursionError):
        return f"template {name}: it calls itself without end"
    if isinstance(exc, MemoryError):
        return f"template {name}: it needs more memory than there is"
    if isinstance(exc, ZeroDivisionError):
        return f"template {name}: a division by zero"
    text = " ".join(str(exc).split())[:200] or type(exc).__name__
    return f"template {name}: {text}"
