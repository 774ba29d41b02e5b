"""Run every benchmark under benchmarks/ and print one table.

Each ``benchmarks/bench_*.py`` defines ``run(quick: bool = False) -> list[dict]``; a row has
``benchmark``, ``measure``, ``value`` (float), ``unit``, and optionally ``baseline``
(what the ratio is against), ``ratio``, ``target`` (e.g. "<= 1.3x") and ``ok`` (bool).
Benchmarks measure ratios against a baseline taken in the same run, never absolute times
alone: the machine may be slow or busy, a ratio still says something.

    python benchmarks/run.py            # everything, full size
    python benchmarks/run.py --quick    # small sizes, to check the scripts still run
    python benchmarks/run.py journal    # only bench_journal.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="names of benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        rows += load(path).run(quick=args.quick)
    cols = ["benchmark", "measure", "value", "unit", "baseline", "ratio", "target", "ok"]
    table = [[fmt(r.get(c)) for c in cols] for r in rows]
    widths = [
        max(len(c), *(len(t[i]) for t in table)) if table else len(c) for i, c in enumerate(cols)
    ]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
