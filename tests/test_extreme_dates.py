"""Any date the parser accepts can be used (issue 14, class 9): extreme times (year 1,
year 9999, with offsets) in ``--today``, ``--at``, ``--when``, ``--as-of`` and imports give
one line or a result, never an ``OverflowError``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from afterview_analysis.cli import main
from afterview_analysis.exchange import ExchangeError, import_json, journal_dict
from afterview_analysis.journal import Journal
from afterview_analysis.records import Interview, Message

EXTREMES = [
    "0001-01-01", "9999-12-31", "0001-01-01T00:00+14:00", "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59-14:00", "9999-12-31T23:59:59.999999+00:00", "9999-12-31T23:59+23:59",
    "0001-01-01T00:00-23:59",
]


def _moments():
    offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
        lambda m: timezone(timedelta(minutes=m)))
    aware = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59),
                         timezones=offsets)
    return st.one_of(aware.map(datetime.isoformat),
                     st.dates().map(lambda d: d.isoformat()), st.sampled_from(EXTREMES))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("dates") / "journal.sqlite"
    with Journal(path) as j:
        from afterview_analysis.demo import load_demo

        load_demo(j)
        iv = j.find(Interview, order_by="starts_at")[-1].id
        message = j.find(Message)[0].id
    return path, iv, message


def _one_line_or_ok(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "OverflowError" not in err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("afterview "), err


@given(moment=_moments())
@example(moment="2200-12-31T23:59+00:00")
@example(moment="1970-01-01T00:00+00:00")
def test_every_time_option_takes_any_parsable_time(world, tmp_path_factory, capsys, moment):
    path, iv, _ = world
    ics = tmp_path_factory.mktemp("ics") / "a.ics"
    for argv in (["agenda", "--today", moment],
                 ["remind", "--ics", str(ics), "--today", moment],
                 ["draft", "thank-you", "--interview", iv, "--today", moment],
                 ["mark-sent", "no-such-message", "--at", moment],
                 ["log", "--company", "A", "--role", "R", "--when", moment, "--journal",
                  str(ics.with_suffix(".sqlite"))]):
        if "--journal" not in argv:
            argv = [*argv, "--journal", str(path)]
        code = main(argv)
        _one_line_or_ok(code, capsys.readouterr().err)


@pytest.mark.parametrize("moment", EXTREMES)
def test_extreme_times_are_refused_in_words(world, capsys, moment):
    path = world[0]
    code = main(["agenda", "--today", moment, "--journal", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "between the years 1970 and 2200" in err, err


def test_a_bare_first_day_of_1970_east_of_utc_is_refused_naming_utc(world, capsys):
    """The demo's zone is Berlin: 1970-01-01 there begins at 23:00 UTC on 31 Dec 1969, one
    hour too early; the message says the range is in UTC. A day later is accepted."""
    path = world[0]
    assert main(["agenda", "--today", "1970-01-01", "--journal", str(path)]) == 2
    err = capsys.readouterr().err
    assert "in UTC (1970-01-01T00:00Z to 2200-12-31T23:59Z)" in err, err
    assert main(["agenda", "--today", "1970-01-02", "--journal", str(path)]) == 0
    capsys.readouterr()


def test_the_edges_of_the_range_are_accepted(world, capsys):
    """The other side: the last minute of 2200 and the first of 1970 (UTC) work."""
    path, iv, _ = world
    for moment in ("2200-12-31T23:59+00:00", "1970-01-01T00:00+00:00"):
        assert main(["agenda", "--today", moment, "--journal", str(path)]) == 0
        assert main(["draft", "thank-you", "--interview", iv, "--today", moment,
                     "--journal", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()


@given(moment=_moments(), column=st.sampled_from(["starts_at", "created_at", "feedback_by",
                                                  "outcome_on"]))
@example(moment="2200-12-31", column="feedback_by")
def test_an_import_with_any_time_is_refused_in_one_line_or_works(moment, column):
    with Journal(":memory:") as src:
        src.add(Interview(company="Acme", role="R", starts_at="2026-03-02T09:30Z"))
        doc = journal_dict(src)
    doc["tables"]["interviews"][0][column] = moment
    with Journal(":memory:") as j:
        try:
            import_json(j, json.dumps(doc))
        except ExchangeError as exc:
            assert "\n" not in str(exc)
            return
        from afterview_analysis.report import build_report
        from afterview_analysis.rules import agenda

        now = datetime(2026, 11, 20, tzinfo=UTC)
        agenda(j, now)
        build_report(j.frames())
