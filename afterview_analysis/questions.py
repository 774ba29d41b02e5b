"""The question bank: the same question across interviews, grouped, answered best, practised.

Questions recalled after interviews are grouped as "the same question" when their wording
is near enough. The similarity is the cosine of TF-IDF vectors (Salton and Buckley, 1988:
term frequency ``1 + log tf``, inverse document frequency ``log((1 + N) / (1 + df)) + 1``,
each vector of unit length) built from two kinds of features, weighted and joined:

* words: the lower-cased words of the question without the small words every question
  shares ("what", "you", "the"), lightly stemmed ("strengths" = "strength"), and pairs of
  neighbouring words;
* characters: the 3- to 5-letter pieces of those words, padded with a space at each end,
  so "deduplicate" meets "duplicate" and "prioritize" meets "prioritise".

Offline, deterministic, and in plain Python (no numpy): ``afterview prep`` groups a
journal's questions within a few times a bare Python start-up. Pairs are found with an
inverted index that leaves out each question's most common features as long as they could
not make a pair reach the threshold on their own (Bayardo et al., "Scaling up all pairs
similarity search", 2007), so the result is exactly that of comparing every pair.

Groups form by average linkage: the most similar pair of groups is joined first, as long
as the mean similarity across the two groups is at least :data:`THRESHOLD` (pairs below
:data:`FLOOR` count as 0). The user's choices win: askings the user pinned to a group
stay in it, and two groups the user made never join (:func:`group_questions`).

A built-in set of :data:`CLASSICS` (about 50 well-known interview questions, each with its
theme) tags the user's questions by theme (:func:`theme_of`).

>>> texts = ["What is your greatest strength?", "What are your greatest strengths?",
...          "What is your greatest weakness?", "Why do you want to work here?"]
>>> group_questions(["a", "b", "c", "d"], texts).group
['a', 'a', 'c', 'd']
>>> theme_of("What would you say is your biggest weakness?")
'strengths and weaknesses'
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from afterview_analysis.journal import Journal
    from afterview_analysis.records import Practice

__all__ = [
    "CLASSICS",
    "FLOOR",
    "THEMES",
    "THEME_THRESHOLD",
    "THRESHOLD",
    "Grouping",
    "askings",
    "bank",
    "confirm",
    "group_questions",
    "merge",
    "record_practice",
    "set_best_answer",
    "similar_pairs",
    "similarity",
    "split",
    "theme_of",
    "themes_of",
    "vectorise",
]

#: Two groups join when the mean similarity between their askings is at least this.
THRESHOLD = 0.34
#: Pairs less similar than this are not looked at (they count as 0 in the mean).
FLOOR = 0.30
#: A question takes the theme of the most similar classic question at least this similar.
THEME_THRESHOLD = 0.35
#: Similarity is multiplied by this when two wordings differ in a word that changes the
#: question ("strength" and "weakness"; see ``_CONTRAST_LINES``).
CONTRAST_FACTOR = 0.5
#: The share of the word features in the similarity (the rest is character pieces).
WORD_WEIGHT = 0.5

#: The themes of the built-in classic questions, in the order the bank shows them.
THEMES = (
    "behavioural",
    "motivation",
    "strengths and weaknesses",
    "salary",
    "technical",
    "system design",
)

#: Well-known interview questions and their themes.
CLASSICS: tuple[tuple[str, str], ...] = (
    ("Tell me about yourself.", "motivation"),
    ("Walk me through your CV.", "motivation"),
    ("Why do you want to work here?", "motivation"),
    ("Why do you want this job?", "motivation"),
    ("Why are you leaving your current job?", "motivation"),
    ("Where do you see yourself in five years?", "motivation"),
    ("What do you know about our company?", "motivation"),
    ("What motivates you?", "motivation"),
    ("Why should we hire you?", "motivation"),
    ("What are you looking for in your next role?", "motivation"),
    ("Do you have any questions for us?", "motivation"),
    ("What is your greatest strength?", "strengths and weaknesses"),
    ("What is your greatest weakness?", "strengths and weaknesses"),
    ("What would your manager say about you?", "strengths and weaknesses"),
    ("What would your colleagues say is your best quality?", "strengths and weaknesses"),
    ("What is something you would like to improve about yourself?",
     "strengths and weaknesses"),
    ("What makes you unique?", "strengths and weaknesses"),
    ("What are your salary expectations?", "salary"),
    ("What is your current salary?", "salary"),
    ("What is the lowest offer you would accept?", "salary"),
    ("How do you feel about the benefits and the whole package?", "salary"),
    ("When can you start, and what is your notice period?", "salary"),
    ("Tell me about a time you disagreed with someone.", "behavioural"),
    ("Tell me about a conflict with a colleague and how you resolved it.", "behavioural"),
    ("Describe a time you failed and what you learned.", "behavioural"),
    ("Tell me about an achievement you are proud of.", "behavioural"),
    ("Tell me about a time you showed leadership.", "behavioural"),
    ("Describe a time you worked under pressure or to a tight deadline.", "behavioural"),
    ("How do you prioritise competing tasks?", "behavioural"),
    ("Tell me about a time you made a mistake.", "behavioural"),
    ("Describe a difficult problem you solved.", "behavioural"),
    ("Tell me about a time you had to persuade someone.", "behavioural"),
    ("How do you handle feedback and criticism?", "behavioural"),
    ("Tell me about a time you explained something complex to a non-expert.", "behavioural"),
    ("Describe a time you had to learn something quickly.", "behavioural"),
    ("Tell me about a time you went beyond what was asked.", "behavioural"),
    ("Explain the difference between a process and a thread.", "technical"),
    ("What happens when you type a URL into a browser?", "technical"),
    ("How would you find duplicates in a large table?", "technical"),
    ("Explain the different kinds of SQL joins.", "technical"),
    ("How do you test your code?", "technical"),
    ("How would you debug a slow query?", "technical"),
    ("Explain a hash table and its complexity.", "technical"),
    ("Walk me through a recent piece of code or analysis you wrote.", "technical"),
    ("How would you detect anomalies in a time series?", "technical"),
    ("Design a URL shortener.", "system design"),
    ("Design a rate limiter.", "system design"),
    ("Design a chat application.", "system design"),
    ("Design a news feed.", "system design"),
    ("How would you design a data pipeline for event data?", "system design"),
    ("How would you scale a service to millions of users?", "system design"),
    ("Design a metrics dashboard for a business.", "system design"),
)

#: The theme a question category falls back to when no classic question is near enough.
CATEGORY_THEMES = {
    "technical": "technical",
    "behavioural": "behavioural",
    "system_design": "system design",
    "culture": "behavioural",
    "motivation": "motivation",
    "salary": "salary",
}

# Words nearly every question has; they say nothing about which question it is. The
# question words that do (why, where, when, how much) are kept.
_STOP_WORDS = """a an the and or of to in on at for with from by about into over as is are was were
    be been being am do does did done have has had having can could would should will may
    might must shall i me my we us our you your yours he she they them their it its this
    that these those what which who whom whose how so some any just also then there here
    tell describe explain example time please say let little bit between walk through
    sure"""
_STOP = frozenset(_STOP_WORDS.split())
# Words interviewers use for the same thing, each read as the first word of its line. A
# general interview vocabulary, not a list of particular questions: it lets "salary
# requirements" meet "salary expectations" while "strength" and "weakness" stay apart.
_THESAURUS_LINES = """
greatest biggest main key top largest
strength strengths strong
weakness weaknesses weak
expect expecting expected expectation expectations requirement requirements
salary pay compensation earn earning earnings paid wage wages remuneration
someone colleague colleagues coworker coworkers co-worker teammate teammates peer peers
    manager boss stakeholder stakeholders supervisor
disagree disagreed disagreement disagreements conflict conflicts argument clash
proud proudest achievement achievements accomplishment accomplishments
fail failed failure failures
receive get take
prefer like
company organisation organization firm business employer
job role position
leave leaving quit quitting
duplicate duplicates deduplicate deduplication dedupe deduplicating
anomaly anomalies outlier outliers
prioritise prioritize prioritising prioritizing prioritisation prioritization priorities
task tasks request requests deadline deadlines demand demands
candidate candidates applicant applicants
hire hiring choose pick select
yourself background cv resume
design build architect
test testing validate verify
motivate motivates motivation motivated drive drives
optimise optimize optimising optimizing optimisation optimization tune tuning speed faster
slow slowly slower
lead leader leadership led leading
chat messaging message messages messenger
interest interested interests apply applied applying
pressure stress stressful
feedback criticism criticisms
number one two three four five six seven eight nine ten
"""
_THESAURUS = {
    word: line.split()[0]
    for line in _THESAURUS_LINES.replace("\n    ", " ").strip().splitlines()
    for word in line.split()
}
def _stem(word: str) -> str:
    """A light stemmer after Porter's (1980) steps 1a, 1b and 5a, so "strengths" meets
    "strength", "handled" meets "handle" and "relocating" meets "relocate":

    * plurals: "-sses" -> "-ss", "-ies" -> "-y", a final "s" off unless the word ends in
      "ss", "us" or "is" ("previous", "analysis" stay whole);
    * "-ing" and "-ed" off when at least three letters stay, then a doubled last consonant
      made single ("stopped" -> "stop"; not l, s or z);
    * a final "e" off when at least four letters stay ("handle" -> "handl").
    """
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) >= 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) >= 4:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "aeiouylsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    return word


# Words that change which question it is: two wordings that each use words of one line,
# but none in common there, ask different things ("inner and outer join" is not "left and
# anti join"; "test a pipeline" is not "design a pipeline"). Their similarity is multiplied
# by CONTRAST_FACTOR. Written as the thesaurus reads them (first word of its line).
_CONTRAST_LINES = """
strength weakness
give receive
current expect
proud fail mistake
best worst
most least
like dislike
test design debug optimise monitor deploy migrate
inner outer left right anti semi cross full
"""
_CONTRAST = {
    _stem(word): number  # compared with the words as _words gives them: stemmed
    for number, line in enumerate(_CONTRAST_LINES.strip().splitlines())
    for word in line.split()
}
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISE = re.compile(r"iz(e|ed|es|ing|ation|ations)\b")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    text = _ISE.sub(r"is\1", text.replace("'s ", " ").replace("n't", " not"))
    words = ["number" if w.isdigit() else _THESAURUS.get(w, w) for w in _WORD.findall(text)]
    return [_stem(w) for w in words if w not in _STOP]


def _features(text: str) -> tuple[Counter[str], Counter[str]]:
    """The word and character features of one question, with their counts."""
    words = _words(text)
    word_f: Counter[str] = Counter(words)
    word_f.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    char_f: Counter[str] = Counter()
    for w in words:
        padded = f" {w} "
        for n in (3, 4, 5):
            char_f.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return word_f, char_f


@dataclass(frozen=True)
class Vectors:
    """Unit TF-IDF vectors of some questions (feature -> weight), as :func:`vectorise`
    makes them."""

    vectors: list[dict[str, float]]
    contrasts: list[dict[int, frozenset[str]]]
    idf: dict[str, float]
    n_docs: int

    def similarity(self, i: int, j: int) -> float:
        """The similarity of questions ``i`` and ``j`` (see the module docstring)."""
        return _dot(self.vectors[i], self.vectors[j]) * _contrast(
            self.contrasts[i], self.contrasts[j])


def _contrasts(words: Sequence[str]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for w in words:
        if w in _CONTRAST:
            found[_CONTRAST[w]].add(w)
    return {k: frozenset(v) for k, v in found.items()}


def _contrast(a: Mapping[int, frozenset[str]], b: Mapping[int, frozenset[str]]) -> float:
    """CONTRAST_FACTOR when the two differ in a word that changes the question, else 1."""
    for line, words in a.items():
        other = b.get(line)
        if other and not (words & other):
            return CONTRAST_FACTOR
    return 1.0


def vectorise(texts: Sequence[str], extra: Sequence[str] = ()) -> Vectors:
    """Unit TF-IDF vectors of ``texts``; ``extra`` texts only count for the IDF.

    Word features carry :data:`WORD_WEIGHT` of the squared length, character pieces the
    rest, so the dot product of two vectors is the weighted mean of the two cosines.
    """
    parsed = [_features(t) for t in texts]
    contrasts = [_contrasts(_words(t)) for t in texts]
    corpus = parsed + [_features(t) for t in extra]
    df: Counter[str] = Counter()
    for word_f, char_f in corpus:
        df.update(word_f.keys() | {"#" + k for k in char_f})
    n = len(corpus)
    idf = {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items()}
    vectors = []
    for word_f, char_f in parsed:
        vec: dict[str, float] = {}
        for feats, prefix, share in ((word_f, "", WORD_WEIGHT), (char_f, "#", 1 - WORD_WEIGHT)):
            part = {prefix + f: (1 + math.log(c)) * idf[prefix + f] for f, c in feats.items()}
            norm = math.sqrt(sum(v * v for v in part.values()))
            if norm:
                scale = math.sqrt(share) / norm
                vec.update((f, v * scale) for f, v in part.items())
        total = math.sqrt(sum(v * v for v in vec.values()))
        vectors.append({f: v / total for f, v in vec.items()} if total else vec)
    return Vectors(vectors, contrasts, idf, n)


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[f] for f, v in a.items() if f in b)


def similarity(a: str, b: str, extra: Sequence[str] = ()) -> float:
    """The similarity of two wordings, from 0 (nothing shared) to 1 (the same words),
    with IDF from the two and ``extra`` (default: the built-in classic questions).

    >>> round(similarity("What is your greatest strength?", "What are your strengths?"), 2)
    0.64
    >>> round(similarity("What is your greatest strength?", "What is your greatest weakness?"), 2)
    0.17
    """
    extra = extra or [text for text, _ in CLASSICS]
    return round(vectorise([a, b], extra).similarity(0, 1), 6)


#: From this many distinct wordings on, pairs are found with a sparse matrix product
#: (numpy and scipy, imported only then); below it, in plain Python. Both give the same pairs.
SPARSE_FROM = 400


def similar_pairs(model: Vectors, floor: float = FLOOR) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, similarity)`` with ``i < j`` and similarity at least ``floor``.

    Exact (the same pairs as comparing all of them), found with an inverted index: each
    question's most common features stay out of the index while their part of its vector
    is too short to reach ``floor`` alone (prefix filtering, Bayardo et al. 2007).
    """
    if len(model.vectors) >= SPARSE_FROM:
        return _similar_pairs_sparse(model, floor)
    vectors = model.vectors
    df: Counter[str] = Counter()
    for vec in vectors:
        df.update(vec.keys())
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    rest_norm: list[float] = []
    pairs = []
    for j, vec in enumerate(vectors):
        found: dict[int, float] = defaultdict(float)
        for f, w in vec.items():
            for i, wi in index.get(f, ()):
                found[i] += w * wi
        for i, partial in found.items():
            if partial + rest_norm[i] < floor:
                continue  # even its unindexed part cannot lift it to the floor
            s = model.similarity(i, j)
            if s >= floor:
                pairs.append((i, j, s))
        # index all but the most common features, whose weight together stays below floor
        left_out = 0.0
        for f in sorted(vec, key=lambda f: (-df[f], f)):
            w = vec[f]
            if math.sqrt(left_out + w * w) < floor:
                left_out += w * w
            else:
                index[f].append((j, w))
        rest_norm.append(math.sqrt(left_out))
    return pairs


def _similar_pairs_sparse(model: Vectors, floor: float) -> list[tuple[int, int, float]]:
    """:func:`similar_pairs` for many questions: one sparse product of the vectors."""
    import numpy as np
    from scipy import sparse

    feature: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, vec in enumerate(model.vectors):
        rows += [i] * len(vec)
        cols += [feature.setdefault(f, len(feature)) for f in vec]
        vals += vec.values()
    x = sparse.csr_matrix((np.array(vals), (np.array(rows, dtype=np.int64),
                           np.array(cols, dtype=np.int64))),
                          shape=(len(model.vectors), max(len(feature), 1)))
    product = sparse.triu(x @ x.T, k=1).tocoo()
    keep = product.data >= floor - 1e-9
    pairs = []
    contrasts = model.contrasts
    for i, j, dot in zip(product.row[keep].tolist(), product.col[keep].tolist(),
                         product.data[keep].tolist(), strict=True):
        s = dot * _contrast(contrasts[i], contrasts[j])
        if s >= floor:
            pairs.append((i, j, s))
    pairs.sort()
    return pairs


@dataclass
class Grouping:
    """The result of :func:`group_questions`, one entry per asking, in input order.

    ``group`` is the group's key: the id of the user's group for askings in one, else the
    smallest asking id of the group. ``similarity`` is the asking's similarity to the
    group's first wording (1.0 for that one); ``pinned`` says the user put it there.
    """

    ids: list[str]
    group: list[str] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)
    pinned: list[bool] = field(default_factory=list)


def group_questions(
    ids: Sequence[str],
    texts: Sequence[str],
    pins: Mapping[str, str] | None = None,
    threshold: float = THRESHOLD,
    floor: float = FLOOR,
) -> Grouping:
    """Group askings by their wording; the user's pins (asking id -> group id) win.

    Average linkage over the pairs from :func:`similar_pairs`: repeatedly join the two
    groups whose mean similarity over all pairs of their askings is highest, while it is
    at least ``threshold`` (pairs under ``floor`` count as 0). Askings with the same
    wording, and askings pinned to the same group, start together; groups holding
    askings pinned to different groups never join. Ties are broken by position, so the
    result depends only on the input.
    """
    pins = dict(pins or {})
    n = len(ids)
    # one unit per distinct (wording, pin): identical wordings are compared once
    unit_of: dict[tuple[str, str | None], int] = {}
    unit: list[int] = []
    for qid, text in zip(ids, texts, strict=True):
        unit.append(unit_of.setdefault((text, pins.get(qid)), len(unit_of)))
    keys = list(unit_of)
    size = Counter(unit)
    model = vectorise([text for text, _ in keys], [text for text, _ in CLASSICS])
    pairs = similar_pairs(model, floor)
    sim = {(a, b): s for a, b, s in pairs}
    # clusters of units, named by their first unit; pinned units of one group start as one
    members: dict[int, list[int]] = {}
    owner: dict[int, str | None] = {}
    weight: dict[int, int] = {}
    root = list(range(len(keys)))
    by_pin: dict[str, int] = {}
    for u, (_, gid) in enumerate(keys):
        if gid is not None and gid in by_pin:
            r = root[u] = by_pin[gid]
            members[r].append(u)
            weight[r] += size[u]
        else:
            members[u], owner[u], weight[u] = [u], gid, size[u]
            if gid is not None:
                by_pin[gid] = u
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b, s in pairs:
        ra, rb = root[a], root[b]
        if ra != rb:
            total = links[ra].get(rb, 0.0) + s * size[a] * size[b]
            links[ra][rb] = links[rb][ra] = total
    version = dict.fromkeys(members, 0)

    def entry(a: int, b: int) -> tuple[float, int, int, int, int]:
        a, b = min(a, b), max(a, b)
        mean = links[a][b] / (weight[a] * weight[b])
        return (-mean, a, b, version[a], version[b])

    heap = [entry(a, b) for a in links for b in links[a] if a < b]
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < threshold - 1e-12:
            break
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue  # stale: one of the two has joined another group since
        if owner[a] is not None and owner[b] is not None and owner[a] != owner[b]:
            continue  # two groups the user made stay apart
        members[a] += members.pop(b)
        weight[a] += weight.pop(b)
        if owner[a] is None:
            owner[a] = owner[b]
        del owner[b], version[b]
        version[a] += 1
        for c, total in links.pop(b).items():
            del links[c][b]
            if c != a:
                links[a][c] = links[c][a] = links[a].get(c, 0.0) + total
        links[a].pop(a, None)
        for u in members[a]:
            root[u] = a
        for c in links[a]:
            heapq.heappush(heap, entry(a, c))
    first_asking = [-1] * len(keys)
    for i in range(n):
        if first_asking[unit[i]] < 0:
            first_asking[unit[i]] = i
    out = Grouping(list(ids), [""] * n, [0.0] * n, [False] * n)
    group_key: dict[int, str] = {}
    first_unit: dict[int, int] = {}
    smallest: dict[int, str] = {}
    for i in range(n):
        r = root[unit[i]]
        if r not in smallest or ids[i] < smallest[r]:
            smallest[r] = ids[i]
    for r, units in members.items():
        group_key[r] = owner[r] or smallest[r]
        first_unit[r] = min(units, key=lambda u: first_asking[u])
    for i in range(n):
        u = unit[i]
        r = root[u]
        f = first_unit[r]
        out.group[i] = group_key[r]
        out.pinned[i] = keys[u][1] is not None
        if u == f or keys[u][0] == keys[f][0]:
            out.similarity[i] = 1.0
        else:
            lo, hi = min(u, f), max(u, f)
            out.similarity[i] = round(sim.get((lo, hi), model.similarity(lo, hi)), 3)
    return out


def themes_of(texts: Sequence[str], categories: Sequence[str | None] | None = None) -> list[str]:
    """The theme of each question: that of the most similar classic question if at least
    :data:`THEME_THRESHOLD` similar, else its category's (``CATEGORY_THEMES``), else "other".

    Each distinct wording is compared once, with the classic questions through an
    inverted index of their features (the same similarity as :meth:`Vectors.similarity`).
    """
    classics = [text for text, _ in CLASSICS]
    distinct = list(dict.fromkeys(texts))
    model = vectorise([*distinct, *classics])
    k = len(distinct)
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for c in range(len(classics)):
        for f, w in model.vectors[k + c].items():
            index[f].append((c, w))
    best_theme: dict[str, str | None] = {}
    for i, text in enumerate(distinct):
        dots: dict[int, float] = defaultdict(float)
        for f, w in model.vectors[i].items():
            for c, wc in index.get(f, ()):
                dots[c] += w * wc
        best, theme = THEME_THRESHOLD, None
        for c in sorted(dots):
            s = dots[c] * _contrast(model.contrasts[i], model.contrasts[k + c])
            if s >= best:
                best, theme = s + 1e-12, CLASSICS[c][1]
        best_theme[text] = theme
    out = []
    for i, text in enumerate(texts):
        theme = best_theme[text]
        if theme is None and categories is not None:
            theme = CATEGORY_THEMES.get(str(categories[i]) if categories[i] else "")
        out.append(theme or "other")
    return out


def theme_of(text: str, category: str | None = None) -> str:
    """The theme of one question (see :func:`themes_of`)."""
    return themes_of([text], [category])[0]


# --------------------------------------------------------------------------- the bank


def askings(
    questions: Sequence[Mapping], interviews: Sequence[Mapping], pins: Sequence[Mapping] = ()
) -> list[dict]:
    """Every asking with its interview and its group: plain rows, no pandas needed.

    ``questions``, ``interviews`` and ``pins`` are rows as :meth:`Journal.rows` gives them
    (or records of the frames). Each result has the question's ``id``, ``text``,
    ``category``, ``score``, ``answer``, ``next_time``; the interview's ``company``,
    ``stage``, ``at`` (its start, ISO text or timestamp as given); and ``group`` (key),
    ``similarity`` (to the group's first wording), ``pinned`` (the user's choice) and
    ``theme``. Questions whose interview is missing are left out. Oldest first.
    """
    by_id = {iv["id"]: iv for iv in interviews}
    qs = [q for q in questions if q["interview_id"] in by_id]
    qs.sort(key=lambda q: (str(by_id[q["interview_id"]]["starts_at"]), q["interview_id"],
                           q.get("position") or 0, q["id"]))
    pin = {p["question_id"]: p["group_id"] for p in pins}
    grouping = group_questions([q["id"] for q in qs], [q["text"] for q in qs], pin)
    themes = themes_of([q["text"] for q in qs], [_plain(q.get("category")) for q in qs])
    out = []
    for k, q in enumerate(qs):
        iv = by_id[q["interview_id"]]
        out.append({
            "id": q["id"], "interview_id": q["interview_id"], "text": q["text"],
            "category": _plain(q.get("category")), "score": q.get("score"),
            "answer": q.get("answer"), "next_time": q.get("next_time"),
            "company": iv["company"], "stage": _plain(iv.get("stage")), "at": iv["starts_at"],
            "group": grouping.group[k], "similarity": grouping.similarity[k],
            "pinned": grouping.pinned[k], "theme": themes[k],
        })
    return out


def _plain(value):
    """A stored vocabulary value as text (enum members and categoricals alike)."""
    if value is None:
        return None
    text = getattr(value, "value", value)
    return None if text != text else str(text)  # NaN


def bank(
    questions: Sequence[Mapping],
    interviews: Sequence[Mapping],
    pins: Sequence[Mapping] = (),
    groups: Sequence[Mapping] = (),
    practice: Sequence[Mapping] = (),
) -> list[dict]:
    """One row per question of the bank, most asked first: ``group`` (key), ``title``
    (the user's, else the first wording), ``stored`` (the user has confirmed or edited it),
    ``askings`` (rows of :func:`askings`, oldest first), ``theme``, ``latest_answer``,
    ``notes`` (every "what to say next time", oldest first), ``best_answer``,
    ``practice`` (its practice rows, oldest first).
    """
    stored = {g["id"]: g for g in groups}
    rows = askings(questions, interviews, pins)
    by_group: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_group[row["group"]].append(row)
    practised: dict[str, list[Mapping]] = defaultdict(list)
    for p in sorted(practice, key=lambda p: str(p["practised_at"])):
        practised[p["group_id"]].append(p)
    out = []
    for key, members in by_group.items():
        group = stored.get(key, {})
        themes = Counter(m["theme"] for m in members)
        answers = [m["answer"] for m in members if m["answer"]]
        out.append({
            "group": key, "title": group.get("title") or members[0]["text"],
            "stored": key in stored, "askings": members,
            "theme": max(themes, key=lambda t: (themes[t], -THEMES.index(t)
                                                if t in THEMES else -len(THEMES))),
            "latest_answer": answers[-1] if answers else None,
            "notes": list(dict.fromkeys(m["next_time"] for m in members if m["next_time"])),
            "best_answer": group.get("best_answer"),
            "practice": practised.get(key, []),
        })
    out.sort(key=lambda g: (-len(g["askings"]), str(g["askings"][-1]["at"]), g["group"]))
    return out


# --------------------------------------------------------------------------- the user's choices
# Each takes the group as the bank shows it: its key and the ids of its askings. A group
# the similarity made is stored the first time the user acts on it, with every asking
# pinned to it, so the user's choice stays whatever the similarity says later.


def confirm(journal: Journal, key: str, members: Sequence[str], title: str | None = None) -> str:
    """Keep these askings together as one question; returns the stored group's id."""
    from afterview_analysis.records import QuestionGroup

    with journal.transaction():
        if journal.find(QuestionGroup, id=key):
            gid = key
        else:
            group = QuestionGroup(title=title)
            journal.add(group)
            gid = group.id
        for qid in members:
            _pin(journal, qid, gid)
    return gid


def _pin(journal: Journal, question_id: str, group_id: str) -> None:
    from afterview_analysis.records import QuestionPin

    with journal.transaction() as conn:
        row = conn.execute("SELECT group_id FROM question_pins WHERE question_id = ?",
                           (question_id,)).fetchone()
        if row is not None and row[0] == group_id:
            return
        conn.execute("DELETE FROM question_pins WHERE question_id = ?", (question_id,))
        journal.add(QuestionPin(question_id=question_id, group_id=group_id))


def merge(
    journal: Journal, key: str, members: Sequence[str], other: str, other_members: Sequence[str]
) -> str:
    """The two are the same question: ``other``'s askings, best answer (when this one has
    none) and practice move to this group; returns its stored id."""
    from afterview_analysis.records import QuestionGroup

    with journal.transaction() as conn:
        gid = confirm(journal, key, members)
        for qid in other_members:
            _pin(journal, qid, gid)
        if other != gid and journal.find(QuestionGroup, id=other):
            mine, theirs = journal.get(QuestionGroup, gid), journal.get(QuestionGroup, other)
            if not mine.best_answer and theirs.best_answer:
                conn.execute("UPDATE question_groups SET best_answer = ?, best_answer_at = ? "
                             "WHERE id = ?", (theirs.best_answer,
                                              _iso(theirs.best_answer_at), gid))
            conn.execute("UPDATE practice SET group_id = ? WHERE group_id = ?", (gid, other))
            conn.execute("DELETE FROM question_groups WHERE id = ?", (other,))
    return gid


def split(journal: Journal, key: str, members: Sequence[str], question_id: str) -> str:
    """This asking is another question: it gets a stored group of its own (returned), and
    the others stay together."""
    from afterview_analysis.records import Question, QuestionGroup

    if question_id not in members:
        raise ValueError(f"question {question_id} is not in group {key}")
    text = journal.get(Question, question_id).text
    with journal.transaction():
        rest = [m for m in members if m != question_id]
        if rest:
            confirm(journal, key, rest)
        group = QuestionGroup(title=text[:300].splitlines()[0] if text.strip() else None)
        journal.add(group)
        _pin(journal, question_id, group.id)
    return group.id


def set_best_answer(journal: Journal, key: str, members: Sequence[str], answer: str) -> str:
    """Keep ``answer`` as the best answer so far (empty clears it); returns the group id."""
    from afterview_analysis.records import QuestionGroup, utc_now

    checked = QuestionGroup(best_answer=answer)  # validates before anything is written
    with journal.transaction():
        gid = confirm(journal, key, members)
        group = journal.get(QuestionGroup, gid)
        journal.update(replace(group, best_answer=checked.best_answer,
                               best_answer_at=utc_now() if checked.best_answer else None))
    return gid


def record_practice(
    journal: Journal, key: str, members: Sequence[str], score: int,
    answer: str | None = None, at: object = None,
) -> Practice:
    """Record practising the question: a 1-5 self-score and the improved answer."""
    from afterview_analysis.records import Practice, utc_now

    checked = Practice(group_id="pending", score=score, answer=answer,
                       practised_at=utc_now() if at is None else at)
    with journal.transaction():
        gid = confirm(journal, key, members)
        record = replace(checked, group_id=gid)
        journal.add(record)
    return record


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()
