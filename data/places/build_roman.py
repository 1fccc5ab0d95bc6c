"""Build seeds/lexicons/roman.tsv: the English (romanised) names of counties, districts and towns.

English versions of Korean news write local names in the Revised Romanization of Korean (문화체육관광부 고시
제2000-8호): Wando County, Gangseo-gu, Bubal-eup. seeds/lexicons/admin.tsv already lists the provinces, metropolitan
cities and cities in English; this file adds, from admin.tsv's counties (군) and autonomous districts (구) and
towns.tsv's 읍·면·동, their romanised forms: "Wando", "Wando County", "Wando-gun"; "Haeundae", "Haeundae District",
"Haeundae-gu"; "Bubal-eup", "Yangjae-dong". A bare name is listed only where it is unique and is no compass district
(중구, 동구 … have no bare form); towns only with their suffix. Names with digits or dots are left out.

    python data/places/build_roman.py
"""

from __future__ import annotations

from pathlib import Path

from kner.lexicon import read_lexicon

ROOT = Path(__file__).resolve().parents[2]
ADMIN = ROOT / "seeds" / "lexicons" / "admin.tsv"
TOWNS = ROOT / "seeds" / "lexicons" / "towns.tsv"
OUT = ROOT / "seeds" / "lexicons" / "roman.tsv"
HEADER = """# English (romanised) names of Korean counties, districts and towns, in the Revised Romanization of Korean
# (문화체육관광부 고시 제2000-8호, with its sound-change rules), generated from admin.tsv and towns.tsv by
# data/places/build_roman.py. kinds roman-county and roman-district are local governments (metonymy applies).
term\tlabel\tcanonical\tkind\tcheck
"""

INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t"]
# a final consonant moves to the next syllable when that one starts with ㅇ (철원 Cheorwon): index -> initial
LINKED = {1: "g", 7: "d", 8: "r", 17: "b", 19: "s", 22: "j", 23: "ch", 25: "t", 26: "p"}
NASAL = {"k": "ng", "t": "n", "p": "m"}  # before ㄴ or ㅁ (백마 Baengma, 십만 Simman)
SUFFIXES = {"군": ("gun", "County"), "구": ("gu", "District"), "읍": ("eup", None), "면": ("myeon", None),
            "동": ("dong", None)}
COMPASS = frozenset("중동서남북")


def _parts(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def romanise(word: str) -> str:
    """A Hangul word in the Revised Romanization, with its sound changes between syllables, capitalised."""
    out = []
    parts = [_parts(ch) for ch in word]
    for i, (initial, vowel, final) in enumerate(parts):
        onset = INITIALS[initial]
        if i:
            before = out[-1]
            previous_final = parts[i - 1][2]
            if initial == 11 and previous_final in LINKED:  # ㅇ: the final is read as this syllable's onset
                out[-1] = before[: len(before) - len(FINALS[previous_final])]
                onset = LINKED[previous_final]
            elif initial == 5:  # ㄹ after a consonant: ll after ㄴ or ㄹ (신라 Silla), n otherwise (종로 Jongno)
                if FINALS[previous_final] in ("n", "l"):
                    out[-1] = before[: len(before) - 1] + "l"
                    onset = "l"
                elif previous_final:
                    onset = "n"
                    tail = FINALS[previous_final]
                    out[-1] = before[: len(before) - len(tail)] + NASAL.get(tail, tail)
            elif initial in (2, 6):  # ㄴ, ㅁ: stops before them become nasals (독문 Dongmun)
                tail = FINALS[previous_final]
                if tail in NASAL:
                    out[-1] = before[: len(before) - len(tail)] + NASAL[tail]
                elif tail == "l" and initial == 2:  # ㄹ + ㄴ -> ll
                    onset = "l"
        out.append(onset + VOWELS[vowel] + FINALS[final])
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _hangul(term: str) -> bool:
    """A name of two or more Hangul syllables and nothing else (no digits, dots or spaces)."""
    return len(term) >= 2 and all("가" <= ch <= "힣" for ch in term)


def entries() -> dict[str, tuple[str, str]]:
    """{English term: (canonical, kind)} for every county, district and town."""
    out: dict[str, tuple[str, str]] = {}
    admin = read_lexicon(ADMIN)
    seen = {e.term for e in admin}  # admin.tsv's own English names (Cheongju City, Sejong City) stay its
    for e in admin:
        if e.kind not in ("county", "district") or e.term[-1] not in SUFFIXES or not _hangul(e.term):
            continue
        stem, (short, english) = e.term[:-1], SUFFIXES[e.term[-1]]
        name = romanise(stem)
        forms = [f"{name}-{short}", f"{name} {english}"]
        if e.canonical and not (e.kind == "district" and stem in COMPASS) and len(stem) >= 2:
            forms.append(name)
        for form in forms:
            if form not in seen:
                out.setdefault(form, (e.canonical, "roman-" + e.kind))
    for e in read_lexicon(TOWNS):
        if e.term[-1] in SUFFIXES and _hangul(e.term):
            form = f"{romanise(e.term[:-1])}-{SUFFIXES[e.term[-1]][0]}"
            if form not in seen:
                out.setdefault(form, (e.canonical, "roman-town"))
    return out


def main() -> None:
    rows = sorted(entries().items())
    OUT.write_text(HEADER + "".join(f"{term}\tLOC\t{canonical}\t{kind}\t\n" for term, (canonical, kind) in rows),
                   encoding="utf-8")
    print(f"wrote {OUT} ({len(rows):,} names)")


if __name__ == "__main__":
    main()
