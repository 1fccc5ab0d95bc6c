"""Build seeds/lexicons/towns.tsv, the 읍·면·동 lexicon, from data/places/admin-areas.tsv (data/README.md).

Every town (읍, 면, 동; current and abolished) becomes a LOC entry under its full name as written (오창읍,
하단동, 본오3동). A name that several districts share (중앙동 is in 58) gets no canonical name; a unique one gets
"province district town". Two-syllable names (서면, 동면, 중동) are also common words, so they count only where Kiwi
reads them as proper nouns (check = nnp). Branch offices (…출장소) are left out.

    python data/places/build_towns.py
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "places" / "admin-areas.tsv"
OUT = ROOT / "seeds" / "lexicons" / "towns.tsv"
HEADER = """# Towns (읍, 면, 동), current and abolished, from the Ministry of the Interior's administrative-area codes
# as published in PublicDataReader (MIT licence; data/README.md). Built by data/places/build_towns.py: full names
# only, canonical "province district town" where the name is unique, check=nnp for two-syllable names. All LOC.
term\tlabel\tcanonical\tkind\tcheck
"""


def main() -> None:
    places: dict[str, set[str]] = defaultdict(set)
    with SOURCE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            town = row["town"]
            if town and town[-1] in "읍면동":
                places[town].add(" ".join(part for part in (row["province"], row["district"], town) if part))
    lines = []
    for town in sorted(places):
        canonical = next(iter(places[town])) if len(places[town]) == 1 else ""
        lines.append(f"{town}\tLOC\t{canonical}\ttown\t{'nnp' if len(town) <= 2 else ''}\n")
    OUT.write_text(HEADER + "".join(lines), encoding="utf-8")
    print(f"wrote {OUT} ({len(lines):,} towns)")


if __name__ == "__main__":
    main()
