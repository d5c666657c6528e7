"""Suggested themes from free text (QA-2, BEY-2), offline: scikit-learn, shipped with the project,
no model downloaded and no external service. Pure functions: texts in, themes out.

How:
1. Each text becomes a TF-IDF vector (words and word pairs, English stop words and the words
   every text of the service has out, sublinear
   term frequency, each vector of length one).
2. The seed's core areas of practice (vocabulary.AREA_TERMS) become vectors in the same space:
   the centroids of a k-means anchored to them, one per area that the period's words touch. Each
   text joins its most similar centroid (cosine at least `MIN_SIMILARITY`); each centroid is then
   `ANCHOR` its area's words and the rest the mean of its texts, until no text moves — so an area
   learns how people write about it and keeps its name.
3. The texts like no area are clustered by plain k-means into up to `EXTRA_THEMES` themes of
   their own, for what the areas do not cover. Themes of fewer than `MIN_FRAGMENTS` texts are
   dropped: their texts are in no theme.
4. The seed asks for "the themes, the strengths and barriers": a cluster whose texts lean both
   ways (vocabulary.polarity; at least `MIN_FRAGMENTS` and `SPLIT_SHARE` of the whole each way)
   becomes two themes, its strengths and its barriers (a text that leans neither way goes with
   the strengths: barrier words are the surer sign). Otherwise it is one theme: a strength or a
   barrier where `KIND_SHARE` of its texts lean that way, else mixed. A theme that grew from an
   area keeps the area's name (with "strengths" or "barriers" where it was split); any other is
   named by its key terms. A theme's key terms are the heaviest words of its texts' mean vector.

The QA officer then renames, merges, splits, discards and confirms (services_themes.py): these
are suggestions, and a person is in charge of them.

`baseline_labels` is the plain method it is compared with (TF-IDF and k-means++ with as many
clusters as areas, no seeds), for the adjusted Rand index over a labelled set (bench/themes)."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from caseaudit.reports.vocabulary import AREA_TERMS, CORE_AREAS, polarity

EXTRA_THEMES = 3
MIN_SIMILARITY = 0.05
ANCHOR = 0.5
MAX_ITERATIONS = 20
MIN_FRAGMENTS = 3
KIND_SHARE = 0.7
SPLIT_SHARE = 0.15
# Words every text of children's social care has, which say nothing about what a theme is about.
DOMAIN_STOP_WORDS = frozenset(
    {
        *("child", "children", "young", "person", "people", "baby", "teenager", "case", "cases"),
        *("month", "months", "social", "worker", "workers", "last", "three", "mum", "dad"),
        *("parents", "family", "does", "say", "said"),
    }
)
TERMS = 6
WORD_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z]{2,}\b"  # words of three letters or more
RANDOM_STATE = 0


@dataclass(frozen=True)
class SuggestedTheme:
    label: str
    kind: str  # "strength", "barrier" or "mixed"
    area: str  # the core area it grew from ("" for one of its own)
    terms: list[str]
    members: list[int]  # indices into the texts


def _vectorizer(count: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS),
        ngram_range=(1, 2),
        min_df=2 if count >= 40 else 1,
        max_df=0.6,
        sublinear_tf=True,
        token_pattern=WORD_PATTERN,
    )


def theme_kind(texts: Sequence[str]) -> str:
    leanings = Counter(polarity(text) for text in texts)
    leaning = leanings["strength"] + leanings["barrier"]
    if leaning and leanings["strength"] >= KIND_SHARE * leaning:
        return "strength"
    if leaning and leanings["barrier"] >= KIND_SHARE * leaning:
        return "barrier"
    return "mixed"


def _terms(matrix: Any, members: list[int], names: np.ndarray) -> list[str]:
    """The heaviest words of the members' mean vector."""
    weights = np.asarray(matrix[members].mean(axis=0)).ravel()
    order = np.argsort(-weights, kind="stable")[:TERMS]
    return [str(names[i]) for i in order if weights[i] > 0]


def _label_of(terms: Sequence[str]) -> str:
    """A theme's name from its key terms: the first three that do not repeat one another."""
    chosen: list[str] = []
    for term in terms:
        if not any(term in other or other in term for other in chosen):
            chosen.append(term)
        if len(chosen) == 3:
            break
    return ", ".join(chosen).capitalize()


def _by_polarity(texts: Sequence[str], members: list[int]) -> list[tuple[str, list[int]]]:
    """[(kind, members)]: one part ("" for "not split") or a strengths part and a barriers part."""
    leanings = [polarity(text) for text in texts]
    strengths = [m for m, lean in zip(members, leanings, strict=True) if lean == "strength"]
    barriers = [m for m, lean in zip(members, leanings, strict=True) if lean == "barrier"]
    neither = [m for m, lean in zip(members, leanings, strict=True) if lean == "neutral"]
    if min(len(strengths), len(barriers)) < max(MIN_FRAGMENTS, SPLIT_SHARE * len(members)):
        return [("", members)]
    # A text that leans neither way is mostly a plain account of what was done well: the barrier
    # words are the surer sign (a "not" or "missing" seldom describes a strength).
    return [("strength", sorted(strengths + neither)), ("barrier", barriers)]


def _rows_normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _anchored_assign(matrix: Any, seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k-means anchored to the seeds: each text joins its most similar centroid; each centroid is
    then `ANCHOR` its seed and the rest its texts' mean, so an area moves towards how people write
    about it without becoming another area. (labels, similarity of each text to its centroid)."""
    centroids = seeds.copy()
    labels = np.full(matrix.shape[0], -1)
    for _ in range(MAX_ITERATIONS):
        similarity = np.asarray(matrix @ centroids.T)
        best = similarity.argmax(axis=1)
        best_similarity = similarity[np.arange(matrix.shape[0]), best]
        new_labels = np.where(best_similarity >= MIN_SIMILARITY, best, -1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for cluster in range(seeds.shape[0]):
            members = np.flatnonzero(labels == cluster)
            if members.size:
                mean = _rows_normalised(np.asarray(matrix[members].mean(axis=0)))[0]
                centroids[cluster] = _rows_normalised(
                    (ANCHOR * seeds[cluster] + (1 - ANCHOR) * mean)[None, :]
                )[0]
    similarity = np.asarray(matrix @ centroids.T)
    return labels, similarity.max(axis=1) if similarity.size else np.zeros(matrix.shape[0])


def suggest_themes(texts: Sequence[str], *, extra: int = EXTRA_THEMES) -> list[SuggestedTheme]:
    """Themes of `texts`, largest first; each text in at most one."""
    if len(texts) < MIN_FRAGMENTS:
        return []
    vectorizer = _vectorizer(len(texts))
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no words left (every text empty or stop words)
        return []
    areas = list(AREA_TERMS)
    seeds = _rows_normalised(vectorizer.transform([AREA_TERMS[area] for area in areas]).toarray())
    present = [index for index in range(len(areas)) if seeds[index].any()]
    seeds, areas = seeds[present], [areas[index] for index in present]
    labels = np.full(matrix.shape[0], -1)
    if areas:
        labels, _ = _anchored_assign(matrix, seeds)
    groups: list[tuple[str, list[int]]] = [
        (area, [int(i) for i in np.flatnonzero(labels == cluster)]) for cluster, area in enumerate(areas)
    ]
    rest = np.flatnonzero(labels == -1)
    clusters = min(extra, rest.size // MIN_FRAGMENTS)
    if clusters >= 1:
        model = KMeans(n_clusters=clusters, n_init=10, random_state=RANDOM_STATE)
        found = model.fit_predict(matrix[rest])
        groups += [("", [int(i) for i in rest[found == cluster]]) for cluster in range(clusters)]
    names = np.asarray(vectorizer.get_feature_names_out())
    themes: list[SuggestedTheme] = []
    for area, members in groups:
        if len(members) < MIN_FRAGMENTS:
            continue
        label = CORE_AREAS[area] if area else _label_of(_terms(matrix, members, names))
        for kind, part in _by_polarity([texts[i] for i in members], members):
            named = label if kind == "" else f"{label}: {'strengths' if kind == 'strength' else 'barriers'}"
            themes.append(
                SuggestedTheme(
                    label=named,
                    kind=kind or theme_kind([texts[i] for i in part]),
                    area=area,
                    terms=_terms(matrix, part, names),
                    members=part,
                )
            )
    return sorted(themes, key=lambda theme: (-len(theme.members), theme.label))


def key_terms(texts: Sequence[str], count: int = TERMS) -> list[str]:
    """The words most used in `texts` (words and word pairs, stop words out): a theme's key
    terms after a person has merged or split it."""
    if not texts:
        return []
    vectorizer = CountVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS),
        ngram_range=(1, 2),
        token_pattern=WORD_PATTERN,
    )
    try:
        counts = np.asarray(vectorizer.fit_transform(texts).sum(axis=0)).ravel()
    except ValueError:
        return []
    names = vectorizer.get_feature_names_out()
    order = np.argsort(-counts, kind="stable")[:count]
    return [str(names[i]) for i in order]


def theme_labels(texts: Sequence[str], themes: Sequence[SuggestedTheme]) -> list[int]:
    """Each text's theme as an integer (-1: in none), for comparing with a labelled set."""
    labels = [-1] * len(texts)
    for number, theme in enumerate(themes):
        for index in theme.members:
            labels[index] = number
    return labels


def baseline_labels(texts: Sequence[str], clusters: int = len(CORE_AREAS)) -> list[int]:
    """The plain method: the same TF-IDF, k-means++ with `clusters` clusters, no seeds."""
    matrix = _vectorizer(len(texts)).fit_transform(texts)
    model = KMeans(n_clusters=min(clusters, matrix.shape[0]), n_init=10, random_state=RANDOM_STATE)
    return [int(label) for label in model.fit_predict(matrix)]
