"""Templates are bounded (issue 14, class 5).

A user template cannot run for ever, nor allocate gigabytes before the draft's size limit
is checked: the render has a time limit, and the sandbox caps repetition, ``replace``,
padding, ``format`` widths and huge integers before doing the work. Every error a template
raises is one line naming the template. The bombs run in a child process under a memory
limit (``resource.setrlimit``), so a missing cap fails the test instead of the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from afterview_analysis.drafting import DraftError, render_template
from afterview_analysis.sandbox import RENDER_SECONDS, WIDTH_LIMIT

MEMORY_LIMIT = 512 * 1024 * 1024  # far below what any of the bombs would need

BOMBS = {
    "repetition": "{{ 'x' * 10**8 }}",
    "repetition of a list": "{{ ([1] * 100000) * 100000 }}",
    "replace": "{{ ('x' * 40000).replace('x', 'y' * 40000) }}",
    "replace filter": "{{ ('x' * 40000)|replace('x', 'y' * 40000) }}",
    "replace of nothing": "{{ ('x' * 40000).replace('', 'y' * 40000) }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "rjust": "{{ 'x'.rjust(10**9) }}",
    "center": "{{ 'x'.center(10**9) }}",
    "center filter": "{{ 'x'|center(10**9) }}",
    "zfill": "{{ '1'.zfill(10**9) }}",
    "expandtabs": "{{ ('\t' * 40000).expandtabs(40000) }}",
    "indent filter": "{{ ('a\n' * 40000)|indent(40000) }}",
    "format width": "{{ '{:1000000000}'.format(1) }}",
    "nested format width": "{{ '{:{w}}'.format(1, w=10**9) }}",
    "format filter": "{{ '%1000000000d'|format(1) }}",
    "percent width": "{{ '%1000000000d' % 1 }}",
    "percent star": "{{ '%*d' % (10**9, 1) }}",
    "huge power": "{{ 9 ** 64 ** 64 }}",
    "huge integers": "{% set n = 10 ** 200 %}{{ n * n * n * n * n * n * n * n * n * n * n }}",
    "tower": "{{ ((9 ** 60) ** 60) ** 60 }}",
    "join": "{{ ('x' * 40000).join(range(100000)) }}",
    "batch": "{{ [1]|batch(10**9, 'x')|list }}",
    "slice": "{{ [1]|slice(10**9, 'x')|list }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}"
                    "{% endfor %}{% endfor %}",
    "loops with output kept small": "{% for i in range(100000) %}{% for j in range(100000) %}"
                                    "{% if i == -1 %}x{% endif %}{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "self include": "{% include 'bomb.j2' %}",
}

ERRORS = {
    "division by zero": ("{{ 1 / 0 }}", "division by zero"),
    "integer division by zero": ("{{ 1 // 0 }}", "division by zero"),
    "bad format": ("{{ '{:q}'.format(1) }}", "Unknown format code"),
    "bad percent format": ("{{ '%q' % 1 }}", "unsupported format character"),
    "huge literal": ("{{ " + "9" * 5000 + " }}", "template bomb.j2"),
    "str of a huge integer": ("{{ (10 ** 60) ** 60 }}", "refused"),
    "type error": ("{{ 'a' - 1 }}", "template bomb.j2"),
    "a missing key": ("{{ {}['x'] }}", "template bomb.j2"),
}

CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from afterview_analysis.drafting import render_template
out = {{}}
for name, source in json.loads(sys.argv[1]).items():
    folder = sys.argv[2] + "/" + str(len(out))
    import os; os.makedirs(folder)
    open(folder + "/bomb.j2", "w").write(source)
    start = time.monotonic()
    try:
        render_template("bomb.j2", {{}}, template_dir=folder)
        out[name] = ["rendered", time.monotonic() - start]
    except MemoryError:
        out[name] = ["MemoryError", time.monotonic() - start]
    except Exception as exc:
        out[name] = [type(exc).__name__ + ": " + str(exc), time.monotonic() - start]
print(json.dumps(out))
"""


def _render_all(sources: dict[str, str], folder) -> dict[str, list]:
    code = CHILD.format(limit=MEMORY_LIMIT)
    done = subprocess.run([sys.executable, "-c", code, json.dumps(sources), str(folder)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.slow
def test_every_bomb_is_stopped_in_one_line_within_the_limits(tmp_path):
    results = _render_all(BOMBS, tmp_path)
    for name, (outcome, seconds) in results.items():
        assert outcome.startswith(("DraftError: template bomb.j2", "TemplateSecurityError: "
                                   "template bomb.j2")), (name, outcome)
        assert "\n" not in outcome, (name, outcome)
        assert seconds < RENDER_SECONDS + 3, (name, seconds)


def test_the_time_limit_stops_nested_loops(tmp_path):
    (tmp_path / "loops.j2").write_text(BOMBS["nested loops"])
    start = time.monotonic()
    with pytest.raises(DraftError, match=r"template loops\.j2: stopped after 2 s"):
        render_template("loops.j2", {}, template_dir=tmp_path)
    assert RENDER_SECONDS <= time.monotonic() - start < RENDER_SECONDS + 2


@pytest.mark.parametrize("name", list(ERRORS))
def test_a_template_error_is_one_line_naming_the_template(tmp_path, name):
    source, expected = ERRORS[name]
    (tmp_path / "bomb.j2").write_text(source)
    with pytest.raises(DraftError) as caught:
        render_template("bomb.j2", {}, template_dir=tmp_path)
    message = str(caught.value)
    assert message.startswith("template bomb.j2") and "\n" not in message, message
    assert expected in message, message


@pytest.mark.parametrize(("source", "expected"), [
    # each cap, just inside it: the same operations are allowed at ordinary sizes
    (f"{{{{ 'x'.ljust({WIDTH_LIMIT})|length }}}}", str(WIDTH_LIMIT)),
    (f"{{{{ 'x'|center({WIDTH_LIMIT})|length }}}}", str(WIDTH_LIMIT)),
    (f"{{{{ '{{:{WIDTH_LIMIT}}}'.format(1)|length }}}}", str(WIDTH_LIMIT)),
    (f"{{{{ '%{WIDTH_LIMIT}d'|format(1)|length }}}}", str(WIDTH_LIMIT)),
    ("{{ ('x' * 50000)|length }}", "50000"),
    ("{{ 2 ** 64 }}", str(2**64)),
    ("{{ ('ab' * 100).replace('a', 'xyz')|length }}", "400"),
    ("{% for i in range(300) %}{% for j in range(300) %}{% endfor %}{% endfor %}done", "done"),
    ("{{ '%5.2f' % 3.14159 }}", " 3.14"),
    ("{{ ', '.join(['a', 'b']) }}", "a, b"),
])
def test_ordinary_use_stays_allowed(tmp_path, source, expected):
    (tmp_path / "ok.j2").write_text(source)
    assert render_template("ok.j2", {}, template_dir=tmp_path) == expected + "\n"


@pytest.mark.parametrize("source", [
    f"{{{{ 'x'.ljust({WIDTH_LIMIT + 1}) }}}}",
    "{{ 'x' * 50001 }}",
    "{{ 2 ** 65 }}",
])
def test_just_past_each_cap_is_refused(tmp_path, source):
    (tmp_path / "t.j2").write_text(source)
    with pytest.raises(DraftError, match=r"^template t\.j2: refused"):
        render_template("t.j2", {}, template_dir=tmp_path)


def test_a_template_bomb_via_the_command_line_is_one_line(demo_journal, tmp_path, capsys):
    from afterview_analysis.cli import main
    from afterview_analysis.records import Interview

    iv = demo_journal.find(Interview, order_by="starts_at")[-1]
    (tmp_path / "follow_up.j2").write_text(textwrap.dedent(BOMBS["replace"]))
    code = main(["draft", "follow-up", "--interview", iv.id, "--templates", str(tmp_path),
                 "--journal", str(demo_journal.path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "template follow_up.j2" in err, err
