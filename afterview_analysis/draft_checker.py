"""The mechanical part of "a letter worth sending": hints about a draft's text.

:func:`check_text` reads a draft as its recipient would and returns one :class:`Hint`
per problem: doubled punctuation, more (or fewer) than one closing, unbalanced or nested
brackets, a snake_case word or a rubric label, an empty or duplicated phrase, a sentence
over :data:`MAX_WORDS` words, more than one greeting, or a greeting that differs from the
one earlier messages to the same person used. The Messages form shows the hints under
the draft; the tests run every built-in template through it.

>>> text = ("Dear Lena,\\n\\nThanks for the talk about spring..\\n\\n"
...         "Best,\\nBest regards,\\nAlex\\n")
>>> [h.rule for h in check_text(text, earlier_greetings=["Dear Lena Hoffmann,"])]
['doubled punctuation', 'closing', 'greeting']
>>> check_text("Hi Jo,\\n\\nAll good.\\n\\nBest,\\nAlex\\n")
[]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from afterview_analysis.records import CLOSINGS

__all__ = ["MAX_WORDS", "Hint", "check_text", "greeting_line"]

#: The longest sentence a draft may have, in words.
MAX_WORDS = 40

_GREETING = re.compile(r"^(?:Dear|Hi|Hello|Hey|Good (?:morning|afternoon|evening))\b.*,$")
_CLOSINGS = {c.casefold() for c in CLOSINGS}
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b[\w-]+\.(?:com|org|net|io|de)\b\S*")
_DOUBLED = re.compile(r"[.,;:!?\u2026][.,;:]|[,;:][!?]|[!?]{2,}")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_EMPTY = re.compile(
    r"\b(?:about|in|on|for|with|by|the|a|an|my|your|our|their|that|and|or)\s*[.,;:!?]"
    r"|\(\s*\)|\[\s*\]|:\s*[.,;]|^[.,;:!?]+$",
    re.I | re.M,
)
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Hint:
    """One problem: the rule it breaks, and what to look at, in words."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def greeting_line(text: str) -> str | None:
    """The first greeting line of a draft ("Dear Lena,"), or None.

    >>> greeting_line("Alex Morgan\\n\\nHi Jo,\\n\\nHello.\\n")
    'Hi Jo,'
    """
    for line in text.splitlines():
        if _GREETING.match(line.strip()):
            return line.strip()
    return None


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        out += [s for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return out


def _brackets(text: str) -> list[Hint]:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    nested = False
    for char in text:
        if char in "([{":
            nested = nested or bool(stack)
            stack.append(char)
        elif char in pairs:
            if not stack or stack[-1] != pairs[char]:
                return [Hint("brackets", f"a closing {char!r} has no opening bracket")]
            stack.pop()
    hints = []
    if stack:
        hints.append(Hint("brackets", f"an opening {stack[-1]!r} is never closed"))
    if nested:
        hints.append(Hint("brackets", "brackets inside brackets: say it in two sentences"))
    return hints


def check_text(
    text: str,
    *,
    earlier_greetings: Iterable[str] = (),
    rubric: Iterable[str] = (),
    letter: bool = True,
) -> list[Hint]:
    """Every hint about ``text`` (a draft's body), in a fixed order of rules.

    ``earlier_greetings``: greeting lines of earlier messages to the same person.
    ``rubric``: the skill names of the rubric, which must not appear as labels.
    ``letter``: False for a call sheet, which has no greeting or closing.
    """
    hints: list[Hint] = []
    plain = _ADDRESS.sub("address", text)
    found = _DOUBLED.search(re.sub(r"(?<![.])\.\.\.(?![.])", "\u2026", plain))
    if found:
        hints.append(Hint("doubled punctuation", f"{found.group(0)!r} in "
                          f"\u201c{_around(plain, found.start())}\u201d"))
    closings = [line.strip() for line in text.splitlines()
                if line.strip().casefold() in _CLOSINGS]
    if letter and len(closings) != 1:
        said = ", ".join(closings) if closings else "none"
        hints.append(Hint("closing", f"a letter ends with exactly one closing (found: {said})"))
    hints += _brackets(text)
    snake = _SNAKE.search(plain)
    if snake:
        hints.append(Hint("label", f"{snake.group(0)!r} looks like a field name, not words"))
    for skill in rubric:
        label = skill.strip().lower()
        pattern = rf"\b(?:strengths?|skills?)\s+(?:in|of|at|:)?\s*{re.escape(label)}\b"
        whole = " " in label and re.search(rf"\b{re.escape(label)}\b", plain, re.I)
        if label and (whole or re.search(pattern, plain, re.I)):
            hints.append(Hint("label", f"the rubric label {skill!r} reads as a form, "
                              "not a letter: say what you did"))
            break
    empty = _EMPTY.search(plain)
    if empty:
        hints.append(Hint("empty phrase", f"something is missing in "
                          f"\u201c{_around(plain, empty.start())}\u201d"))
    # repeats are looked for in the prose, not in the address blocks (a long name may
    # stand in the letterhead and again in the greeting)
    prose = "\n".join(line for line in plain.splitlines()
                      if re.search(r"[.!?:;]\W*$", line.strip()))
    hints += _repeats(prose)
    for sentence in _sentences(plain):
        n = len(_WORD.findall(sentence))
        if n > MAX_WORDS:
            hints.append(Hint("long sentence", f"{n} words (at most {MAX_WORDS}): "
                              f"\u201c{' '.join(sentence.split()[:8])} ...\u201d"))
            break
    greetings = [line.strip() for line in text.splitlines() if _GREETING.match(line.strip())]
    if letter and len(greetings) != 1:
        hints.append(Hint("greeting", f"a letter has exactly one greeting "
                          f"(found {len(greetings)})"))
    earlier = [g for g in earlier_greetings if g]
    if greetings and earlier and greetings[0] != earlier[0]:
        hints.append(Hint("greeting", f"earlier messages to this person began "
                          f"\u201c{earlier[0]}\u201d, this one \u201c{greetings[0]}\u201d"))
    return hints


def _around(text: str, at: int, width: int = 30) -> str:
    start = max(0, at - width)
    return " ".join(text[start:at + 10].split())


def _repeats(text: str) -> list[Hint]:
    words = [w.lower() for w in _WORD.findall(text)]
    for a, b in itertools.pairwise(words):
        if a == b and not a.isdigit():
            return [Hint("duplicated phrase", f"\u201c{a} {b}\u201d")]
    seen: set[tuple[str, ...]] = set()
    for i in range(len(words) - 5):
        gram = tuple(words[i:i + 6])
        if gram in seen:
            return [Hint("duplicated phrase", f"\u201c{' '.join(gram)}\u201d appears twice")]
        seen.add(gram)
    return []
