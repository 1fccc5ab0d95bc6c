"""Distant-supervision silver (pipeline/distant.py): form selection, word-initial matching, particles."""

from __future__ import annotations

from collections import Counter

from kner.distant import DistantLabeller, coarse_label, read_forms, select_forms


def test_fine_konec_classes_map_to_our_labels():
    assert coarse_label("OGG_ECONOMY") == "ORG" and coarse_label("LCP_CITY") == "LOC"
    assert coarse_label("AF_BUILDING") == "LOC" and coarse_label("PS_NAME") == "PS"
    assert coarse_label("DT_DAY") is None and coarse_label("CV_POSITION") is None


def test_forms_need_a_pure_label_and_two_characters():
    counts = {"경찰": Counter({"ORG": 9, None: 1}), "한국": Counter({"LOC": 5, "ORG": 5}), "A": Counter({"PS": 3}),
              "부산": Counter({"LOC": 4})}
    assert select_forms(counts, purity=0.8) == {"경찰": "ORG", "부산": "LOC"}


def test_labeller_matches_word_starts_followed_by_a_particle():
    labeller = DistantLabeller({"부산": "LOC", "부산시": "ORG", "삼성전자": "ORG", "대한": "PS"})
    text = "부산시는 ‘삼성전자’와 부산항에서 만났다. 이에 대한 부산."
    spans = [(text[s.start:s.end], s.label) for s in labeller.spans(text)]
    # longest form first (부산시), inside quotes, not inside 부산항 (항 is no particle), 대한 matched only as a word
    assert spans == [("부산시", "ORG"), ("삼성전자", "ORG"), ("대한", "PS"), ("부산", "LOC")]
    for s in labeller.spans(text):
        assert text[s.start:s.end] == s.text


def test_shipped_form_list_reads():
    forms = read_forms()
    assert len(forms) > 5000 and forms["경찰"] == "ORG"
