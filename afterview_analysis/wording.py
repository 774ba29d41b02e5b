"""Turning what the user typed into phrases a letter can carry.

The drafts weave the user's own words into sentences, so each note must first be made
into the right grammatical shape, whatever was typed: a fragment ("their semantic
layer"), a sentence ("The team uses dbt."), a note in the third person ("Lena said they
are rebuilding the platform in spring."), one word, a trailing full stop or two.

* :func:`recall_phrase`: the point worth recalling, as ``("topic", ...)`` to follow
  "our conversation about" or ``("remark", ...)`` to follow "hearing that".
* :func:`strength_phrase`: the forgotten strength, to follow "I did not get to mention".
* :func:`request_phrase`: what an information request asked for, to follow "asking for".
* :func:`skill_phrase`: a rubric skill as the way a person would say it ("how I break a
  problem down"), never the rubric's label.
* :func:`greeting`, :func:`first_name`, :func:`family_name`: how to address someone.

>>> recall_phrase("Lena said they are rebuilding the data platform in spring..")
('remark', 'you are rebuilding the data platform in spring')
>>> recall_phrase("their plan to move reporting onto a semantic layer.")
('topic', 'your plan to move reporting onto a semantic layer')
>>> strength_phrase("I mentored two junior analysts.")
'that I mentored two junior analysts'
>>> greeting("warm", "Anna van der Berg"), greeting("formal", "Dr. Ruth Adeyemi")
('Dear Anna,', 'Dear Dr. Adeyemi,')
"""

from __future__ import annotations

import re

__all__ = [
    "SKILL_PHRASES",
    "family_name",
    "first_name",
    "greeting",
    "pitch_sentence",
    "recall_phrase",
    "request_phrase",
    "skill_phrase",
    "strength_phrase",
    "tidy",
]

#: The default rubric's skills as a person would say them after "I hope I showed you".
SKILL_PHRASES: dict[str, str] = {
    "technical depth": "the depth of my technical work",
    "problem solving": "how I break a problem down",
    "communication": "how I explain complex results simply",
    "culture fit": "how I work with the people around me",
    "questions asked": "the questions I ask before I build anything",
    "preparation": "how carefully I prepare",
}

_TITLES = {"dr", "dr.", "prof", "prof.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "mx", "mx."}
# Words that start a note but are not a name: lower-cased when the note becomes a clause.
_FUNCTION_WORDS = {
    "a", "an", "the", "their", "they", "them", "our", "we", "us", "my", "your", "you",
    "his", "her", "he", "she", "its", "it", "this", "that", "these", "those", "how", "what",
    "why", "when", "where", "which", "who", "whether", "some", "one", "two", "three", "all",
    "each", "every", "talking", "discussing", "hearing", "learning", "about",
}
_WH_START = {"how", "what", "why", "when", "where", "which", "who", "whether"}
# A verb in the first few words makes the note a sentence (a remark), not a topic.
_VERBS = {
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
    "should", "might", "may", "must", "uses", "used", "use", "plans", "planned", "wants",
    "wanted", "needs", "needed", "runs", "ran", "builds", "built", "moved", "moves",
    "launches", "launched", "works", "worked", "does", "did", "do", "'s", "'re", "think",
    "thinks", "believe", "believes", "hope", "hopes", "expect", "expects", "intend",
    "intends", "rebuild", "rebuilds", "rebuilt", "hired", "hires", "grew", "grows",
}
# Past tenses that do not end in -ed: a note starting with one left out its "I".
_PAST = {"led", "built", "ran", "wrote", "grew", "made", "taught", "won", "set", "drove",
         "took", "gave", "brought", "began", "found", "kept", "sold", "spoke", "shipped"}
_SAID = re.compile(
    r"^(?:(?:[A-Z][\w'.-]*\s+){1,4}|(?:they|she|he|the\s+\w+(?:\s+\w+)?)\s+)"
    r"(?:said|says|mentioned|mentions|explained|explains|told\s+me|noted|notes|shared|"
    r"shares|pointed\s+out|described|describes)\s+(?:that\s+)?(.+)$",
    re.IGNORECASE | re.S,
)
_DISCUSSED = re.compile(
    r"^(?:we\s+)?(?:talked|spoke|chatted|discussed|talk|discuss)(?:\s+(?:about|of|over))?"
    r"\s+(.+)$",
    re.IGNORECASE | re.S,
)
_ASKED = re.compile(
    r"^(?:(?:they|she|he|[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)?)\s+)?"
    r"(?:asked|asks|requested|requests|wants|wanted|would\s+like|need|needs)"
    r"(?:\s+(?:me\s+)?(?:for|to\s+send|to\s+see|to\s+have|to\s+get))?\s+(.+)$",
    re.IGNORECASE | re.S,
)
_POLITE_ASK = re.compile(
    r"^(?:could|can|would)\s+you\s+(?:please\s+)?(?:send|share|provide|give)(?:\s+(?:me|us))?"
    r"\s+(.+)$",
    re.IGNORECASE | re.S,
)
# Third person about the employer, as the recipient reads it: "they" -> "you".
_PRONOUNS = [
    (re.compile(r"\bthey're\b", re.I), "you're"),
    (re.compile(r"\bthey've\b", re.I), "you've"),
    (re.compile(r"\bthey'll\b", re.I), "you'll"),
    (re.compile(r"\bthey\b", re.I), "you"),
    (re.compile(r"\btheirs\b", re.I), "yours"),
    (re.compile(r"\btheir\b", re.I), "your"),
    (re.compile(r"\bthemselves\b", re.I), "yourselves"),
    (re.compile(r"\bthem\b", re.I), "you"),
]
_TRAILING = re.compile(r"[\s.,;:!?\u2026-]+$")
_LEADING = re.compile(r"^[\s.,;:!?\u2026\-*\u2022]+")


def tidy(text: str | None) -> str:
    """One line of text without surrounding spaces, bullets, quotes or end punctuation.

    >>> tidy("  - 'the new product line launching in spring!!' ")
    'the new product line launching in spring'
    >>> tidy("dbt.")
    'dbt'
    """
    if text is None:
        return ""
    text = " ".join(str(text).split())
    previous = None
    while previous != text:
        previous = text
        text = _LEADING.sub("", _TRAILING.sub("", text))
        if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'\u201c\u201d\u2018\u2019":
            text = text[1:-1]
        if text[:1] in "\u201c\u2018" and text[-1:] in "\u201d\u2019":
            text = text[1:-1]
    # several sentences become one: "A. B" -> "A; b"
    text = re.sub(r"(?<=[a-z0-9)])[.!?]+\s+(\w)",
                  lambda m: "; " + _lower_first_word(m.group(1)), text)
    return text


def _lower_first_word(text: str) -> str:
    word = re.match(r"[\w']+", text)
    if word and word.group(0).lower() in _FUNCTION_WORDS | _VERBS:
        return text[:1].lower() + text[1:]
    return text


def _to_you(text: str) -> str:
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    return text


def _is_sentence(text: str) -> bool:
    words = re.findall(r"[\w']+", text.lower())
    if not words or words[0] in _WH_START:
        return False
    head = words[:6]
    return any(w in _VERBS for w in head[1:])


_STORY_OF = re.compile(r"^(?:the|a|an) (?:story|example|anecdote) (?:of|about) "
                       r"(?=(?:how|why|when|what|where|who) )", re.I)


def recall_phrase(text: str | None) -> tuple[str, str] | None:
    """The point worth recalling as ``(shape, words)``, or None when there is none.

    ``("topic", words)`` reads after "our conversation about"; ``("remark", words)``
    after "hearing that". Third-person notes about the employer speak to the reader
    ("they" becomes "you"); a leading "Lena said that" or "we talked about" goes.

    >>> recall_phrase("how they run blameless post-mortems")
    ('topic', 'how you run blameless post-mortems')
    >>> recall_phrase("We talked about the new product line launching in spring.")
    ('topic', 'the new product line launching in spring')
    >>> recall_phrase("The team uses dbt and Airflow!")
    ('remark', 'the team uses dbt and Airflow')
    >>> recall_phrase("the story of how the team cut load time in half")
    ('topic', 'how the team cut load time in half')
    >>> recall_phrase("the story of the founders")  # a story of what: kept as written
    ('topic', 'the story of the founders')
    >>> recall_phrase("Kubernetes."), recall_phrase("  ")
    (('topic', 'Kubernetes'), None)
    """
    text = tidy(text)
    if not text:
        return None
    text = _STORY_OF.sub("", text)  # "the story of how X" reads as "how X"
    said = _SAID.match(text)
    if said:
        return "remark", _lower_first_word(_to_you(tidy(said.group(1))))
    discussed = _DISCUSSED.match(text)
    if discussed:
        return "topic", _lower_first_word(_to_you(tidy(discussed.group(1))))
    shape = "remark" if _is_sentence(text) else "topic"
    return shape, _lower_first_word(_to_you(text))


def strength_phrase(text: str | None) -> str | None:
    """The forgotten strength, to follow "I did not get to mention" (None when empty).

    >>> strength_phrase("mentoring juniors"), strength_phrase("My SQL is strong.")
    ('mentoring juniors', 'that my SQL is strong')
    >>> strength_phrase("I've led a team of five; we shipped on time")
    "that I've led a team of five; we shipped on time"
    >>> strength_phrase("led the dbt migration.")
    'that I led the dbt migration'

    """
    text = tidy(text)
    if not text:
        return None
    first = re.match(r"[\w']+", text)
    word = first.group(0) if first else ""
    if word in ("I", "I'm", "I've", "I'd", "I'll") or word.lower() in ("my", "we", "our"):
        if word.lower() in ("my", "we", "our"):
            text = text[:1].lower() + text[1:]
        return "that " + text
    if word.lower() == word and (word.endswith("ed") or word in _PAST):
        return "that I " + text  # "led the dbt migration": the I was left out
    if _is_sentence(text):
        return "that " + _lower_first_word(text)
    return _lower_first_word(text)


def request_phrase(text: str | None) -> str | None:
    """What an information request asked for, to follow "asking for"; None when the note
    does not say it in a way a letter can repeat.

    >>> request_phrase("Could you send two work samples?")
    'two work samples'
    >>> request_phrase("Priya asked for references and a salary range.")
    'references and a salary range'
    >>> request_phrase("Call went badly, need to think") is None
    True
    """
    text = tidy(text)
    if not text:
        return None
    for pattern in (_POLITE_ASK, _ASKED):
        found = pattern.match(text)
        if found:
            return _lower_first_word(_to_you(tidy(found.group(1))))
    if not _is_sentence(text) and len(text.split()) <= 8 and "," not in text \
            and not re.search(r"\b(need|think|went|call)\b", text, re.I):
        return _lower_first_word(text)
    return None


def pitch_sentence(text: str | None) -> str | None:
    """The profile's pitch as a sentence in the first person, or None when it is not one
    a letter can say ("Data analyst who ..." becomes "I am a data analyst who ...").

    >>> pitch_sentence("Data analyst who turns messy data into decisions people trust.")
    'I am a data analyst who turns messy data into decisions people trust.'
    >>> pitch_sentence("I turn messy data into decisions")
    'I turn messy data into decisions.'
    """
    text = tidy(text)
    if not text:
        return None
    first = text.split()[0]
    if first in ("I", "I'm", "I've"):
        return text + "."
    if _is_sentence(text) and not re.search(r"\b(?:who|that|which)\b", text, re.I):
        return None
    if first.lower() in ("a", "an", "the", "someone", "somebody"):
        return f"I am {_lower_first_word(text)}."
    common = first.istitle() and len(first) > 1  # "Data analyst", not "SQL" or "Python"
    phrase = text[:1].lower() + text[1:] if common else text
    article = "an" if phrase[:1].lower() in "aeiou" else "a"
    return f"I am {article} {phrase}."


def skill_phrase(skill: str, description: str | None = None) -> str | None:
    """A rubric skill in natural words: the built-in phrase, else the skill's own
    description (the user's words), else None (a bare label never goes in a letter).

    >>> skill_phrase("problem solving"), skill_phrase("SQL"), skill_phrase("SQL", "my SQL.")
    ('how I break a problem down', None, 'my SQL')
    """
    phrase = SKILL_PHRASES.get(skill.strip().lower())
    if phrase:
        return phrase
    described = tidy(description)
    return _lower_first_word(described) if described else None


def _parts(name: str) -> tuple[str | None, list[str]]:
    words = name.split()
    title = words[0] if len(words) > 1 and words[0].lower() in _TITLES else None
    return title, words[1:] if title else words


def first_name(name: str) -> str:
    """The given name: the first word after any title.

    >>> first_name("Dr. Ruth Adeyemi"), first_name("Anna van der Berg"), first_name("Cher")
    ('Ruth', 'Anna', 'Cher')
    """
    _, words = _parts(name)
    return words[0] if words else name.strip()


def family_name(name: str) -> str:
    """Everything after the given name ("van der Berg"), or the one name there is.

    >>> family_name("Anna van der Berg"), family_name("Prof. Lars Eriksen")
    ('van der Berg', 'Eriksen')
    """
    _, words = _parts(name)
    return " ".join(words[1:]) if len(words) > 1 else (words[0] if words else name.strip())


def greeting(tone: str, name: str) -> str:
    """The greeting line for a first message to ``name`` in ``tone``: formal "Dear" and
    the full name (title and family name when there is a title), warm "Dear" and the
    given name, brief "Hi" and the given name.

    >>> greeting("formal", "Lena Hoffmann"), greeting("brief", "Prof. Lars Eriksen")
    ('Dear Lena Hoffmann,', 'Hi Lars,')
    """
    title, words = _parts(name)
    if tone == "formal":
        who = f"{title} {family_name(name)}" if title else " ".join(words) or name.strip()
        return f"Dear {who},"
    return f"{'Dear' if tone == 'warm' else 'Hi'} {first_name(name)},"
