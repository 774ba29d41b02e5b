"""The `afterview` command: exit codes, one-line messages, and the journal it touches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from afterview_analysis.cli import build_parser, main
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview
from afterview_analysis.schema import SCHEMA_VERSION

COMMANDS = ["init", "demo", "log", "check", "export", "import"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "j.sqlite")


def test_init_is_idempotent(capsys, path):
    assert run(capsys, "init", "--journal", path)[0] == 0
    Journal(path).close()
    code, out, _ = run(capsys, "init", "--journal", path)
    assert code == 0 and "journal ready" in out and f"schema version {SCHEMA_VERSION}" in out


def test_log_prints_the_id_of_a_stored_interview(capsys, path):
    code, out, err = run(capsys, "log", "--journal", path, "--company", "Acme", "--role",
                         "Analyst", "--when", "2026-03-14T09:30+01:00", "--stage", "onsite")
    assert code == 0 and err == ""
    with Journal(path) as j:
        iv = j.get(Interview, out.strip())
    assert (iv.company, iv.stage, iv.starts_at.hour) == ("Acme", "onsite", 8)


def test_log_reads_a_time_without_offset_in_the_profile_zone_and_says_so(capsys, path):
    from afterview_analysis.records import Profile

    with Journal(path) as j:
        j.update(Profile(timezone="Europe/Berlin"))
    code, out, err = run(capsys, "log", "--journal", path, "--company", "Acme", "--role", "R",
                         "--when", "2026-02-03T14:30")
    assert code == 0
    assert "read as Europe/Berlin time (your profile's time zone" in err
    with Journal(path) as j:
        local = j.get(Interview, out.strip()).starts_at
    assert local.isoformat() == "2026-02-03T13:30:00+00:00"  # 14:30 in Berlin (CET)
    # an offset in the text wins, and nothing is said about zones
    code, out, err = run(capsys, "log", "--journal", path, "--company", "Acme", "--role", "R",
                         "--when", "2026-02-03T14:30-05:00")
    assert code == 0 and err == ""
    with Journal(path) as j:
        assert j.get(Interview, out.strip()).starts_at.hour == 19


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--company", "", "--role", "R", "--when", "2026-03-14T09:30+01:00"], "company"),
        (["--company", "A", "--role", "R", "--when", "soon"], "starts_at"),
        (["--company", "A", "--role", "R", "--when", "2026-03-14T09:30Z", "--stage", "x"],
         "stage"),
        (["--company", "A", "--role", "R", "--when", "2026-03-14T09:30Z", "--minutes", "0"],
         "duration_minutes"),
    ],
)
def test_log_bad_input_exits_2_with_one_line_and_writes_nothing(capsys, path, extra, message):
    code, out, err = run(capsys, "log", "--journal", path, *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    with Journal(path) as j:
        assert j.is_empty()


def test_missing_arguments_exit_2(capsys, path):
    with pytest.raises(SystemExit) as info:
        main(["log", "--journal", path, "--company", "Acme"])
    assert info.value.code == 2
    assert "required" in capsys.readouterr().err


def test_demo_check_export_import_round_trip(capsys, tmp_path, path):
    assert run(capsys, "demo", "--journal", path)[0] == 0
    code, out, _ = run(capsys, "check", "--journal", path)
    assert code == 0 and "integrity: ok" in out and "interviews" in out
    code, text, _ = run(capsys, "export", "--journal", path)
    assert code == 0 and json.loads(text)["format"] == "afterview-journal"
    dump = tmp_path / "out" / "backup.json"
    assert run(capsys, "export", "--journal", path, "--out", str(dump))[0] == 0
    assert dump.read_text(encoding="utf-8") == text
    restored = str(tmp_path / "restored.sqlite")
    code, out, _ = run(capsys, "import", "--journal", restored, str(dump))
    assert code == 0 and "imported" in out
    assert run(capsys, "export", "--journal", restored)[1] == text


def test_refusals_exit_2(capsys, tmp_path, path):
    run(capsys, "demo", "--journal", path)
    code, _, err = run(capsys, "demo", "--journal", path)
    assert code == 2 and "already holds data" in err
    code, _, err = run(capsys, "check", "--journal", str(tmp_path / "missing.sqlite"))
    assert code == 2 and "no journal at" in err
    code, _, err = run(capsys, "import", "--journal", path, str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, "import", "--journal", str(tmp_path / "new.sqlite"), str(bad))
    assert code == 2 and "UTF-8" in err


def test_every_command_has_help_and_takes_journal():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in COMMANDS:
        parser = sub.choices[name]
        assert parser.description
        assert any("--journal" in a.option_strings for a in parser._actions), name


def test_console_script_uses_afterview_journal_env(tmp_path):
    env = {**os.environ, "AFTERVIEW_JOURNAL": str(tmp_path / "env.sqlite")}
    exe = Path(sys.executable).with_name("afterview")
    result = subprocess.run([str(exe), "init"], env=env, capture_output=True, text=True,
                            check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.sqlite").is_file()
    result = subprocess.run([str(exe), "init", "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and "--journal" in result.stdout
