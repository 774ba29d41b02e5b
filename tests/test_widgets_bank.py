"""The Prepare views in the kernel: set values, click, look at what the page would show."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from afterview_analysis import questions as qb
from afterview_analysis.journal import Journal
from afterview_analysis.records import Practice, QuestionGroup, QuestionPin
from afterview_analysis.widgets.bank import BankView, PrepView
from tests.hostile import XSS_PAYLOADS, add_hostile_interview
from tests.test_questions import groups_of, log
from tests.test_widgets_hostile import live_markup

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def test_an_empty_journal_says_what_to_do(journal):
    view = BankView(journal, now=lambda: NOW)
    assert "No questions yet" in view.summary.value
    assert view.picker.options == () and view.editor.layout.display == "none"
    assert view.search.layout.display == "none" and view.numbers_toggle.layout.display == "none"


def test_merge_and_split_ask_for_a_choice_and_change_nothing_without_one(journal):
    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2),
                             ("What is your greatest weakness?", "other", 3)])
    log(journal, "Beta", 9, [("Why do you want to work here?", "motivation", 4)])
    view = BankView(journal, now=lambda: NOW)
    assert view.merge_with.value is None and view.split_which.value is None
    before = journal.counts()
    view.merge_button.click()
    assert "Same as: pick" in view.status.value
    view.split_button.click()
    assert "Asking: pick" in view.status.value
    assert journal.counts() == before


def test_the_demo_answers_first_with_n_and_intervals(demo_journal):
    view = BankView(demo_journal, now=lambda: NOW)
    text = view.summary.value
    assert "weakest theme" in text and "n = " in text and "95 % interval" in text
    assert "Practice:" in text and "practised" in text
    assert view.numbers.value == ""
    view.numbers_toggle.value = True
    assert "Score per theme" in view.numbers.value and "system design" in view.numbers.value
    assert "_" not in view.numbers.value.replace("</", "")  # words, never column names


def test_every_asking_shows_company_stage_date_score_and_similarity(journal):
    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2)])
    log(journal, "Beta", 9, [("Why do you want to work for us?", "motivation", 4)],
        stage="technical")
    view = BankView(journal, now=lambda: NOW)
    assert len(view.picker.options) == 1
    detail = view.detail.value
    for bit in ("Acme", "Beta", "screening", "technical", "2026-01-05", "2026-01-14",
                "2 → 4", "note Acme 0", "1.00"):
        assert bit in detail, bit


def test_the_open_question_shows_its_score_over_time_as_a_picture_with_dates(journal):
    import re

    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2)])
    log(journal, "Beta", 30, [("Why do you want to work for us?", "motivation", 4)])
    log(journal, "Cole", 60, [("Why do you want to work here?", "motivation", 3),
                              ("What is your greatest weakness?", "other", 1)])
    view = BankView(journal, now=lambda: NOW)
    view.search.value = "work"
    detail = view.detail.value
    assert detail.count("<svg") == 1  # only the open question is drawn
    svg = detail[detail.index("<svg"):detail.index("</svg>")]
    assert svg.count("<circle") == 3 and "<polyline" in svg
    # dates on the time axis, in the user's zone, and the scale 1-5 labelled
    assert "2026-01-05" in svg and "2026-03-06" in svg
    assert all(f">{level}</text>" in svg for level in range(1, 6))
    # the later asking is further right, the higher score higher up
    dots = [(float(x), float(y))
            for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)]
    assert dots[0][0] < dots[1][0] < dots[2][0] and dots[1][1] < dots[2][1] < dots[0][1]
    # the numbers in words for screen readers
    assert ('aria-label="Score over time (1 to 5): 2 at Acme on 2026-01-05; 4 at Beta on '
            '2026-02-04; 3 at Cole on 2026-03-06"') in svg
    # practice shows as hollow dots, and is said in words too
    view.practice_score.value = 5
    view.practice_button.click()
    svg = view.detail.value
    assert svg.count('fill="white"') == 1 and "practice: 5 on 2026-03-20" in svg
    assert "hollow orange dots" in svg


def test_best_answer_practice_confirm_split_merge_by_clicking(journal):
    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2),
                             ("What is your greatest weakness?", "other", 3)])
    log(journal, "Beta", 9, [("Why do you want to work here?", "motivation", 4)])
    view = BankView(journal, now=lambda: NOW)
    view.search.value = "work here"
    assert len(view.picker.options) == 1
    view.best.value = "Their mission, and the team I met."
    view.save_best_button.click()
    assert "Best answer kept" in view.status.value
    assert [g.best_answer for g in journal.find(QuestionGroup)] == [
        "Their mission, and the team I met."]
    view.practice_score.value = 5
    view.practice_answer.value = "Shorter: the mission."
    view.practice_button.click()
    (p,) = journal.find(Practice)
    assert (p.score, p.answer, p.practised_at) == (5, "Shorter: the mission.", NOW)
    assert "Practised" in view.detail.value and view.practice_answer.value == ""
    # split the Beta asking off, then merge it back
    beta = view.split_which.options[1][1]
    view.split_which.value = beta
    view.split_button.click()
    view.search.value = ""
    assert len(view.picker.options) == 3
    key = view.state.group
    view.merge_with.value = next(v for label, v in view.merge_with.options
                                 if label.startswith("Why do"))
    view.merge_button.click()
    assert len(view.picker.options) == 2
    assert {pin.group_id for pin in journal.find(QuestionPin)} == {key}


def test_a_too_long_best_answer_is_refused_and_kept(journal):
    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2)])
    view = BankView(journal, now=lambda: NOW)
    before = journal.counts()
    view.best.value = "x" * 20_001
    view.save_best_button.click()
    assert "at most 20000" in view.best_error.value
    assert view.best.value == "x" * 20_001 and journal.counts() == before


def test_prep_view_saves_a_sheet_and_never_overwrites_another(demo_journal, tmp_path):
    view = PrepView(demo_journal, out_dir=tmp_path)
    first = view.path
    assert first is not None and first.exists() and "Saved" in view.status.value
    assert "Ask before you leave" in view.preview.value
    # the preview looks like the page: checkboxes to tick, questions set off by a rule
    assert 'class="check" style="list-style:none' in view.preview.value
    assert 'class="q" style="margin:.6rem 0;padding:.4rem .6rem;border-left' in view.preview.value
    first.write_text("someone else's notes", encoding="utf-8")
    view.stage.value = "final"
    second = view.make()
    assert second != first and first.read_text(encoding="utf-8") == "someone else's notes"
    view.company.value = "   "
    assert view.make() is None and "company" in view.status.value
    assert view.company.value == "   "


def test_your_questions_to_ask_are_kept_and_replace_the_suggestions(journal, tmp_path):
    from afterview_analysis.prep import QUESTIONS_TO_ASK
    from afterview_analysis.widgets.profile import ProfileFormView

    log(journal, "Acme", 0, [("Why do you want to work here?", "motivation", 2)])
    view = PrepView(journal, out_dir=tmp_path)
    assert view.questions.value == ""
    assert "Suggestions" in view.preview.value and QUESTIONS_TO_ASK[0] in view.preview.value
    view.questions.value = "Who would I work with most?\n\nHow is on-call shared?\n"
    view.questions_button.click()
    assert "Kept 2 questions" in view.questions_status.value
    assert journal.profile().questions() == ["Who would I work with most?",
                                             "How is on-call shared?"]
    assert "How is on-call shared?" in view.preview.value  # the sheet is made again
    assert "Suggestions" not in view.preview.value
    assert QUESTIONS_TO_ASK[0] not in view.preview.value
    # saving the profile form keeps them (the form does not show them)
    form = ProfileFormView(journal)
    form.fields["name"].value = "Alex"
    assert form.save()
    assert journal.profile().questions_to_ask.startswith("Who would I work with most?")
    # too long: refused in words, nothing written, the typed text stays
    view.questions.value = "x" * 4001
    view.questions_button.click()
    assert "Your questions to ask: must be at most 4000" in view.questions_status.value
    assert "_" not in view.questions_status.value and view.questions.value == "x" * 4001
    assert journal.profile().questions()[0] == "Who would I work with most?"
    # emptied: back to the suggestions, labelled as such
    view.questions.value = "  \n "
    view.questions_button.click()
    assert journal.profile().questions_to_ask is None
    assert "Suggestions" in view.preview.value


def test_hostile_text_stays_text_in_both_views(tmp_path):
    with Journal(tmp_path / "h.sqlite") as j:
        for n, payload in enumerate(XSS_PAYLOADS):
            add_hostile_interview(j, payload, day=n)
        bank = BankView(j, now=lambda: NOW)
        bank.numbers_toggle.value = True
        assert len(bank.picker.options) >= 2
        for key in [v for _, v in bank.picker.options]:
            bank.picker.value = key
            bank.best.value = XSS_PAYLOADS[0]
            bank.save_best_button.click()
            assert live_markup(bank) == [], key
        prep = PrepView(j, out_dir=tmp_path / "out")
        for _, company in zip(range(8), sorted({iv["company"] for iv in j.rows("interviews")}),
                              strict=False):
            prep.company.value = company
            prep.make()
            assert live_markup(prep) == [], company


def test_reflect_says_whether_practice_paid_off_with_n_and_interval(journal):
    from afterview_analysis.widgets.bank import PracticeView
    from tests.test_questions import practice_journal

    assert PracticeView(journal).widget.layout.display == "none"  # an empty journal
    ids = log(journal, "Zed", 0, [("Name a tree you like.", "motivation", 2)])
    view = PracticeView(journal)
    assert view.widget.layout.display is None
    assert "Practice: none recorded yet." in view.sentence.value  # says how to start
    assert view.toggle.layout.display == "none"  # and offers no empty table
    assert "record a practice" in view.sentence.value
    # practised after its only interview: nothing to compare yet, and it says why
    g = next(g for g in groups_of(journal) if g["askings"][0]["id"] == ids[0])
    qb.record_practice(journal, g["group"], ids, 4, at=datetime(2026, 2, 1, tzinfo=UTC))
    text = PracticeView(journal).sentence.value
    assert "no interview has asked a practised question since you practised it" in text
    assert "1 practice record so far" in text
    # practised before two interviews that asked it: some data, not enough yet
    log(journal, "Zed", 40, [("Name a tree you like.", "motivation", 3)])
    log(journal, "Zed", 41, [("Name a tree you like.", "motivation", 4)])
    text = PracticeView(journal).sentence.value
    assert "not enough data" in text and "It takes 5 askings after a practice" in text
    assert "now 0 and 0, no category has 2 of each yet; 2 askings after a practice" in text
    practice_journal(journal, 5, 6)
    view = PracticeView(journal)
    text = view.sentence.value
    assert text.startswith("<p><b>Practice: practised questions scored higher.</b></p>")
    assert "2.5 points higher" in text  # the numbers after the answer
    assert "n = 5 practised, 6 unpractised askings, in the 1 category with" in text
    assert "95 % interval" in text and view.toggle.layout.display is None
    assert view.table.value == ""
    view.toggle.value = True
    assert "technical" in view.table.value and "+2.50" in view.table.value
    assert "_" not in view.table.value


def test_practice_view_on_the_demo(demo_journal):
    from afterview_analysis.widgets.bank import PracticeView

    view = PracticeView(demo_journal)
    view.toggle.value = True
    assert "n = " in view.sentence.value and "system design" in view.table.value
    assert live_markup(view) == []


def test_a_long_history_says_its_ends_in_words(journal):
    for day in range(10):
        log(journal, f"C{day}", day, [("Why do you want to work here?", "motivation",
                                       1 + day % 5)])
    view = BankView(journal, now=lambda: NOW)
    assert "1 → 2 → 3 … 3 → 4 → 5, 10 askings" in view.detail.value
    assert view.detail.value.count("<circle") == 10


def test_date_labels_of_a_long_history_never_overlap():
    import re
    from datetime import timedelta

    from afterview_analysis.widgets.bank import score_picture

    start = datetime(2025, 5, 31, 9, tzinfo=UTC)
    askings = [{"at": start + timedelta(days=11 * n), "score": 2 + n % 3, "company": "A"}
               for n in range(35)]
    svg = score_picture(askings, [{"practised_at": start + timedelta(days=400), "score": 5}])
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="10" '
                        r'text-anchor="(\w+)" fill="#555">(\d{4}-\d\d-\d\d)</text>', svg)
    dates = [d for _, _, d in labels]
    assert "2025-05-31" in dates and "2026-07-05" in dates  # the first, and the last (practice)
    assert len(labels) >= 4
    spans = sorted((float(x) - {"start": 0, "middle": 29, "end": 58}[a],) for x, a, _ in labels)
    assert all(b[0] - a[0] >= 58 + 8 for a, b in itertools.pairwise(spans))


def _asked_rows(html: str) -> int:
    return html.count("<tr><td>")


def test_six_askings_are_one_table_and_seven_fold_all_but_the_latest_five(journal):
    """Six askings: every one in one table. Seven: the latest five, then every one of the
    seven under "All 7 askings" (the best answer and practice stay near the top)."""
    for day in range(7):
        log(journal, f"C{day}", day, [("Why do you want to work here?", "motivation", 3)])
        html = BankView(journal, now=lambda: NOW).detail.value
        if day == 5:  # six askings
            assert _asked_rows(html) == 6 and "<details>" not in html
    assert "The latest 5 of 7 askings:" in html and "<summary>All 7 askings</summary>" in html
    shown, folded = html.split("<details>")
    assert _asked_rows(shown) == 5 and _asked_rows(folded) == 7
    table = shown[shown.index("<table>"):]  # (the picture above names every asking)
    assert "<td>C0</td>" not in table and "<td>C6</td>" in table and "<td>C0</td>" in folded
