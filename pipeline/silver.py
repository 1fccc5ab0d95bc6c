"""Synthetic training sentences (templates x lexicon names x generated programme names) for PROGRAM and domain style.

KLUE has no PROGRAM label and no regional industrial-policy news, and the repo holds no unlabelled text of that
domain except the seed articles, which are our dev set. So the tagger learns PROGRAM, and ANNOTATION.md's
ORG/LOC conventions, from sentences built here: hand-written templates (data/silver/templates.txt), names from the
project lexicons (seeds/lexicons) and programme names composed from a topic and a programme head
(ANNOTATION.md rule 12). Every name that occurs in the seed gold is left out, so the seed figures still measure
names the model never saw. Generation is seeded, so the same files give the same sentences.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .records import Record, Span
from .resources import TEMPLATES as TEMPLATE_DIR

TEMPLATES = TEMPLATE_DIR / "templates.txt"  # data/silver in a checkout, kner/templates in a wheel
SLOT = re.compile(r"\{(GOV|PLACE|ORG|SITE|PROGRAM|QPROGRAM)(?:\|([^}]*))?\}")
LABEL = {"GOV": "ORG", "PLACE": "LOC", "ORG": "ORG", "SITE": "LOC", "PROGRAM": "PROGRAM", "QPROGRAM": "PROGRAM"}
# particle written in a template -> (form after a final consonant, form after a vowel)
PARTICLES = {"는": ("은", "는"), "은": ("은", "는"), "가": ("이", "가"), "이": ("이", "가"), "를": ("을", "를"),
             "을": ("을", "를"), "와": ("과", "와"), "과": ("과", "와"), "로": ("으로", "로"), "으로": ("으로", "로")}
TOPICS = (
    "수소 모빌리티", "이차전지 소재", "시스템반도체", "스마트공장", "탄소중립 산업", "미래차 부품", "바이오헬스",
    "디지털 전환", "청년 창업", "소상공인 경영안정", "로봇 융합", "에너지 자립", "조선 기자재", "항공우주 부품",
    "드론 산업", "뿌리기업 고도화", "섬유 패션", "농식품 수출", "관광 활성화", "도시재생", "청년 일자리",
    "중소기업 기술혁신", "인공지능 융합", "데이터 기반 제조혁신", "친환경 선박", "정밀의료", "지역혁신 선도기업",
    "원전 해체 산업", "전기차 충전 인프라", "탄소소재 융복합", "스마트 물류", "의료기기 실증", "수출기업 해외마케팅",
    "방산 부품 국산화", "첨단 신소재", "이차전지 재활용", "자율주행 실증", "그린수소 생산", "산업단지 대개조",
    "지역특화 산업",
)
HEADS = (
    "사업", "지원사업", "육성사업", "구축사업", "조성사업", "실증사업", "육성계획", "기본계획", "발전전략",
    "혁신전략", "특화단지", "규제자유특구", "클러스터", "지원 프로그램", "육성 펀드", "장려금", "정책자금",
    "기술개발사업", "거점센터 구축사업", "혁신 클러스터 사업",
)
SITE_HEADS = ("국가산업단지", "일반산업단지", "국가산단", "산단", "테크노밸리", "첨단산업단지", "혁신도시", "산업단지")


def final_consonant(word: str) -> int:
    """Index of the final consonant (받침) of the word's last syllable: 0 for none or a non-Hangul end, 8 for ㄹ."""
    ch = word[-1:]
    return (ord(ch) - 0xAC00) % 28 if "가" <= ch <= "힣" else 0


def particle(word: str, written: str) -> str:
    """The form of particle `written` that fits after `word` (은/는, 이/가 …); 로 stays 로 after ㄹ."""
    forms = PARTICLES.get(written)
    if forms is None:
        return written
    final = final_consonant(word)
    if forms[1] == "로" and final == 8:  # ㄹ받침 takes 로
        return "로"
    return forms[0] if final else forms[1]


def read_templates(path: Path = TEMPLATES) -> list[str]:
    """Template lines of `path` (blank lines and # comments skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class Fillers:
    """Names for each slot, drawn with a seeded RNG."""

    def __init__(self, entries: Iterable, excluded: set[str], rng: random.Random):
        self.rng = rng
        hangul = [e for e in entries if not e.kind.startswith("roman-") and e.term not in excluded]
        self.gov = sorted({e.term for e in hangul if e.is_gov and e.term[-1] in "시도군구"})
        self.place = sorted({e.term for e in hangul if e.label == "LOC"})
        self.org = sorted({e.term for e in hangul if e.label == "ORG"})
        shorts = sorted({e.term for e in hangul if e.is_gov and len(e.term) == 2})
        self.site = sorted({s + h for s in shorts for h in SITE_HEADS} - excluded)
        self.shorts = shorts
        self.excluded = excluded

    def program(self) -> str:
        """A programme name: optional year or region, a topic and a programme head."""
        while True:
            prefix = self.rng.choice(("", "", f"{self.rng.randint(2019, 2027)}년 ", self.rng.choice(self.shorts) + " "))
            name = prefix + self.rng.choice(TOPICS) + " " + self.rng.choice(HEADS)
            if name not in self.excluded:
                return name

    def fill(self, slot: str) -> str:
        """A name for `slot`."""
        if slot in ("PROGRAM", "QPROGRAM"):
            return self.program()
        return self.rng.choice({"GOV": self.gov, "PLACE": self.place, "ORG": self.org, "SITE": self.site}[slot])


def realise(template: str, fillers: Fillers) -> tuple[str, list[Span]]:
    """One sentence from `template` with its spans (quotes around a QPROGRAM stay outside the span)."""
    out, spans, pos = [], [], 0
    for m in SLOT.finditer(template):
        out.append(template[pos:m.start()])
        name = fillers.fill(m.group(1))
        quoted = m.group(1) == "QPROGRAM"
        if quoted:
            out.append("‘")
        start = sum(map(len, out))
        spans.append(Span(start, start + len(name), LABEL[m.group(1)], name, "silver"))
        out.append(name)
        if quoted:
            out.append("’")
        if m.group(2):
            out.append(particle(name, m.group(2)))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def synthesise(entries: Iterable, excluded: set[str], per_template: int = 30, seed: int = 0,
               templates: Path = TEMPLATES) -> Iterator[Record]:
    """`per_template` sentences from each template, as records with ids silver-<template>-<k>."""
    rng = random.Random(seed)
    fillers = Fillers(list(entries), excluded, rng)
    for t, template in enumerate(read_templates(templates)):
        for k in range(per_template):
            text, spans = realise(template, fillers)
            yield Record(id=f"silver-{t:03d}-{k:03d}", text=text, spans=tuple(spans), meta={"source": "silver"})
