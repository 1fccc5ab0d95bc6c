"""Lexicons: tab-separated name lists (term, label, canonical, kind, check) that users can extend without code."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import LexiconError
from .resources import LEXICONS as LEXICON_DIR  # seeds/lexicons in a checkout, kner/lexicons in a wheel

HEADER = ("term", "label", "canonical", "kind", "check")
LEXICON_LABELS = ("ORG", "LOC", "PROGRAM", "O")  # O: never a name
CHECKS = ("", "nnp")
GOV_KINDS = frozenset({"province", "metro", "city", "county", "district"})  # local governments: metonymy applies
BUILTIN = ("admin.tsv", "towns.tsv", "roman.tsv", "places.tsv", "geography.tsv", "infrastructure.tsv", "world.tsv",
           "orgs.tsv", "public.tsv", "institutions.tsv", "general.tsv", "brands.tsv", "complexes.tsv", "companies.tsv",
           "programs.tsv", "stop.tsv")


class LexiconWarning(UserWarning):
    """A lexicon line that was skipped; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Entry:
    """One lexicon line: `term` as written in text, its label, canonical name, kind and extra check."""

    term: str
    label: str
    canonical: str = ""
    kind: str = ""
    check: str = ""
    source: str = ""  # lexicon name (file stem), reported as the span's rule

    @property
    def is_gov(self) -> bool:
        """A local government, ORG when it acts and LOC as a territory (ANNOTATION.md rule 7)."""
        return self.kind.removeprefix("roman-") in GOV_KINDS


def parse_lines(lines: Iterable[str], name: str, source: str | None = None) -> list[Entry]:
    """Parse TSV lines of a lexicon called `name`; bad lines are skipped with a LexiconWarning naming the line."""
    source = source if source is not None else Path(name).stem
    entries: list[Entry] = []
    header_seen = False
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells[: len(HEADER)]) != HEADER:
                words = tuple(line.split())
                if len(cells) == 1 and len(words) >= 2 and words == HEADER[:len(words)]:
                    raise LexiconError(f"[E101] {name} line {lineno}: the columns are separated by spaces; a "
                                       "lexicon is tab-separated (term<TAB>label<TAB>…)")
                raise LexiconError(
                    f"[E101] {name} line {lineno}: expected the header line "
                    f"{chr(9).join(HEADER)!r} (tab-separated) before any entry, got {line!r}"
                )
            header_seen = True
            continue
        problem = _problem(cells)
        if problem:
            warnings.warn(f"[W101] {name} line {lineno}: {problem}; line skipped", LexiconWarning, stacklevel=2)
            continue
        cells = [c.strip() for c in cells] + [""] * (len(HEADER) - len(cells))
        entries.append(Entry(cells[0], cells[1], cells[2], cells[3], cells[4], source))
    if not header_seen:
        raise LexiconError(f"[E101] {name}: no header line {chr(9).join(HEADER)!r}; is it a kner lexicon?")
    return entries


def _problem(cells: list[str]) -> str:
    """What is wrong with one split entry line, or '' when it is fine."""
    if len(cells) < 2:
        return "expected at least 2 tab-separated columns (term, label); are the columns separated by spaces?"
    if len(cells) > len(HEADER):
        return f"expected at most {len(HEADER)} tab-separated columns, got {len(cells)}"
    term, label = cells[0].strip(), cells[1].strip()
    if not term:
        return "empty term"
    if label not in LEXICON_LABELS:
        return f"label {label!r} is not one of {', '.join(LEXICON_LABELS)}"
    check = cells[4].strip() if len(cells) > 4 else ""
    if check not in CHECKS:
        return f"check {check!r} must be empty or 'nnp'"
    return ""


def read_lexicon(path: str | Path) -> list[Entry]:
    """Read one lexicon file: UTF-8 TSV with the header line. A byte-order mark (Excel's "UTF-8 (BOM)") is
    dropped; a line that is not UTF-8 is read as CP949/EUC-KR, and one that is neither skipped, each reported."""
    path = Path(path)
    if not path.is_file():
        raise LexiconError(f"[E100] lexicon {path} does not exist or is not a file")
    data = path.read_bytes()
    if not data.strip():
        raise LexiconError(f"[E102] lexicon {path} is empty; it needs the header line {chr(9).join(HEADER)!r}")
    return parse_lines(_decoded_lines(data.removeprefix(b"\xef\xbb\xbf"), str(path)), str(path), path.stem)


def _decoded_lines(data: bytes, name: str) -> Iterator[str]:
    """Lines of a lexicon file as text, with a warning for each line that is not UTF-8."""
    for lineno, raw in enumerate(data.splitlines(keepends=True), 1):
        try:
            yield raw.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        try:
            line = raw.decode("cp949")
        except UnicodeDecodeError:
            warnings.warn(f"[W102] {name} line {lineno}: neither UTF-8 nor CP949 text; line skipped (save the file "
                          "as UTF-8)", LexiconWarning, stacklevel=3)
            yield "\n"
            continue
        warnings.warn(f"[W103] {name} line {lineno}: not UTF-8, read as CP949/EUC-KR (save the file as UTF-8)",
                      LexiconWarning, stacklevel=3)
        yield line


def builtin_entries() -> list[Entry]:
    """The lexicons shipped in seeds/lexicons (admin divisions, places, organisations, stop words)."""
    return [e for name in BUILTIN for e in read_lexicon(LEXICON_DIR / name)]


class Lexicon:
    """Terms indexed by first character and length, so matching at a position is a few dict look-ups."""

    def __init__(self, entries: Iterable[Entry] = ()):
        self._terms: dict[str, Entry] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._heads: frozenset[str] = frozenset()  # the first two characters of every term (all of a short one)
        self.revision = 0  # bumped by every `add`: what is built from the lexicon knows when to rebuild
        self.add(entries)

    def add(self, entries: Iterable[Entry]) -> None:
        """Add entries; a later entry for the same term replaces the earlier one and moves to the end, so user
        lexicons win in every look-up built from the entries in order (canonical names by key, too)."""
        for e in entries:
            self._terms.pop(e.term, None)
            self._terms[e.term] = e
        lengths: dict[str, set[int]] = {}
        for term in self._terms:
            lengths.setdefault(term[0], set()).add(len(term))
        self._lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}
        self._heads = frozenset(term[:2] for term in self._terms)
        self.revision += 1

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._terms.values())

    def get(self, term: str) -> Entry | None:
        """The entry for exactly `term`, if any."""
        return self._terms.get(term)

    def matches_at(self, text: str, i: int) -> list[Entry]:
        """Entries whose term occurs at text[i:], longest first."""
        if text[i:i + 2] not in self._heads and text[i] not in self._heads:  # most positions: no term starts so
            return []
        found = (self._terms.get(text[i:i + n]) for n in self._lengths[text[i]])
        return [e for e in found if e is not None]

    def to_records(self) -> list[dict[str, str]]:
        """All entries as plain dicts in override order, for saving a pipeline (JSON, never pickle)."""
        return [asdict(e) for e in self]

    @classmethod
    def from_records(cls, records: Iterable[dict[str, str]]) -> Lexicon:
        """Rebuild a Lexicon saved with `to_records`."""
        return cls(Entry(**r) for r in records)
