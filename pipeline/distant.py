"""Silver ORG/LOC/PS labels for unlabelled KLUE sentences by distant supervision from konec's entity forms.

konec annotated the 21k KLUE training sentences with 150 fine classes; we have its list of annotated surface
forms with counts (data/konec/forms-train.tsv) and the raw sentences (data/klue-raw/), but not the spans. This
module puts the spans back: a form is labelled where it starts a word (after a space, a quote or a bracket) and
what follows it in that word is a particle or nothing, longest form first. A form becomes silver only when its
fine classes agree on one of our labels (`purity`). `benchmarks/silver_quality.py` measures the procedure on
the gold KLUE sentences.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import resources
from .records import Record, Span

ROOT = resources.CHECKOUT or resources.PACKAGE.parent  # training data is only in a checkout
FORMS = ROOT / "data" / "konec" / "forms-train.tsv"
RAW = ROOT / "data" / "klue-raw" / "train-raw-sent.tsv"
# konec class (or class prefix) -> our label; the rest (dates, quantities, artefacts, positions …) is no name
COARSE = {"OGG": "ORG", "LCP": "LOC", "LCG": "LOC", "LC_OTHERS": "LOC", "AF_BUILDING": "LOC",
          "PS_NAME": "PS", "PS_CHARACTER": "PS"}
# what may follow a name inside its word: Korean particles and the copula, longest first
PARTICLES = sorted("""은 는 이 가 을 를 의 에 에서 에게 와 과 로 으로 도 만 까지 부터 이나 나 라는 이라는 이다 이며
    였다 이었다 에서는 에서도 에는 에도 과의 와의 으로는 로는 으로서 로서 측 측은 측이 측의 처럼 보다 에선 과는 와는
    하고 랑 이랑 께서 에서의 에게서 조차 마저 만큼 이란 란 인 의해 에의 이라고 라고 이고 고 이자 쪽 등 등이 등을
    등의 산 들 들은 들이 에서만 까지도""".split(), key=len, reverse=True)
WORD_START = re.compile(r"(?:^|(?<=[\s'\"‘“(\[「『<《〈·,]))\S")


def coarse_label(fine: str) -> str | None:
    """Our label for a konec fine class, or None when it is not a name we tag."""
    return COARSE.get(fine) or COARSE.get(fine.split("_", 1)[0])


def read_forms(path: Path = FORMS, purity: float = 0.8, min_length: int = 2) -> dict[str, str]:
    """form -> label from konec's form list (form, fine label, count), as `select_forms` keeps them."""
    counts: dict[str, Counter] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            counts.setdefault(row["form"], Counter())[coarse_label(row["label"])] += int(row["train_freq"])
    return select_forms(counts, purity, min_length)


def select_forms(counts: dict[str, Counter], purity: float = 0.8, min_length: int = 2) -> dict[str, str]:
    """form -> label for forms whose annotations give one of our labels at least `purity` of the time."""
    forms = {}
    for form, c in counts.items():
        label, n = c.most_common(1)[0]
        if label and n >= purity * sum(c.values()) and len(form) >= min_length:
            forms[form] = label
    return forms


def read_raw(path: Path = RAW) -> Iterator[tuple[str, str]]:
    """(id, text) of each unlabelled sentence."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            sid, _, text = line.rstrip("\n").partition("\t")
            if text:
                yield sid, text


class DistantLabeller:
    """Labels every word-initial occurrence of a known form followed by a particle or the end of the word."""

    def __init__(self, forms: dict[str, str]):
        self.forms = forms
        self.lengths = sorted({len(f) for f in forms}, reverse=True)

    def spans(self, text: str) -> list[Span]:
        """Silver spans of one text, longest form first, never overlapping."""
        out: list[Span] = []
        end_of_last = 0
        for m in WORD_START.finditer(text):
            i = m.start()
            if i < end_of_last:
                continue
            word_end = next((j for j in range(i, len(text)) if text[j].isspace()), len(text))
            for n in self.lengths:
                form = text[i:i + n]
                label = self.forms.get(form) if i + n <= word_end else None
                if label and self._clean_rest(text[i + n:word_end]):
                    out.append(Span(i, i + n, label, form, "silver"))
                    end_of_last = i + n
                    break
        return out

    @staticmethod
    def _clean_rest(rest: str) -> bool:
        """True when what follows a form in its word is nothing, punctuation, or a particle (after a closing quote,
        before punctuation)."""
        rest = rest.lstrip("'\"’”)]」』>》〉").rstrip(".,!?;:'\"’”)]」』>》〉…")
        return not rest or rest in PARTICLES

    def records(self, sentences: Iterable[tuple[str, str]]) -> Iterator[Record]:
        """One silver record per sentence."""
        for sid, text in sentences:
            yield Record(id=sid, text=text, spans=tuple(self.spans(text)), meta={"source": "klue-raw distant"})
