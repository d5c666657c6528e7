"""Suggested themes (QA-2, BEY-2), as pure functions: they recover the areas of a labelled set of
synthetic audit comments (adjusted Rand index) better than plain TF-IDF and k-means in the same
run; each text is in at most one theme; strengths and barriers are told apart; the same texts
give the same themes."""

import random

from sklearn.metrics import adjusted_rand_score

from caseaudit.demo.history_text import labelled_set
from caseaudit.reports.themes import (
    MIN_FRAGMENTS,
    baseline_labels,
    key_terms,
    suggest_themes,
    theme_kind,
    theme_labels,
)
from caseaudit.reports.vocabulary import CORE_AREAS, polarity


def test_the_themes_recover_the_labelled_areas_better_than_the_baseline() -> None:
    fragments = labelled_set(random.Random(1), 1200)
    texts = [fragment.text for fragment in fragments]
    themes = suggest_themes(texts)
    ours = theme_labels(texts, themes)
    areas = [fragment.area for fragment in fragments]
    areas_and_kinds = [f"{fragment.area}/{fragment.kind}" for fragment in fragments]
    ours_area = adjusted_rand_score(areas, ours)
    ours_both = adjusted_rand_score(areas_and_kinds, ours)
    baseline_area = adjusted_rand_score(areas, baseline_labels(texts, len(CORE_AREAS)))
    baseline_both = adjusted_rand_score(areas_and_kinds, baseline_labels(texts, 2 * len(CORE_AREAS)))
    assert ours_area > baseline_area + 0.15 and ours_area > 0.5
    assert ours_both > baseline_both + 0.3 and ours_both > 0.75
    named = {theme.area for theme in themes if theme.area}
    assert len(named) >= len(CORE_AREAS) - 1  # (nearly) every core area found, under its own name


def test_each_text_is_in_at_most_one_theme_and_the_result_is_repeatable() -> None:
    texts = [fragment.text for fragment in labelled_set(random.Random(2), 300)]
    first = suggest_themes(texts)
    members = [index for theme in first for index in theme.members]
    assert len(members) == len(set(members))
    assert all(len(theme.members) >= MIN_FRAGMENTS for theme in first)
    assert [(t.label, t.members) for t in first] == [(t.label, t.members) for t in suggest_themes(texts)]


def test_strengths_and_barriers_are_told_apart() -> None:
    fragments = labelled_set(random.Random(3), 600)
    right = sum(1 for fragment in fragments if polarity(fragment.text) in (fragment.kind, "neutral"))
    assert right / len(fragments) > 0.97
    for theme in suggest_themes([fragment.text for fragment in fragments]):
        kinds = [fragments[index].kind for index in theme.members]
        if theme.kind != "mixed":
            assert kinds.count(theme.kind) / len(kinds) > 0.8, theme.label
    assert theme_kind(["Case notes are behind and the chronology is missing."] * 3) == "barrier"
    assert theme_kind(["A clear, thorough assessment."] * 3) == "strength"


def test_too_little_text_gives_no_themes() -> None:
    assert suggest_themes([]) == []
    assert suggest_themes(["The chronology is up to date."]) == []
    assert suggest_themes(["and the of", "to be or", "it is a"]) == []  # only stop words


def test_key_terms_are_the_words_most_used() -> None:
    terms = key_terms(["The chronology is current.", "The chronology stops in May.", "Case notes are late."])
    assert terms[0] == "chronology"
    assert key_terms([]) == []
