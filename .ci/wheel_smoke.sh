#!/usr/bin/env bash
# Wheel smoke test: build the wheel, install it into a fresh virtualenv outside the checkout, and from another
# folder annotate a small text with the default model and with --model rules; the output must hold exact spans.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build from a copy of the working tree, so no stale build/ folder of the checkout leaks into the wheel.
mkdir "$work/src"
tar -C "$repo" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' -cf - . | tar -C "$work/src" -xf -
python3 -m venv "$work/venv"
"$work/venv/bin/pip" wheel "$work/src" -w "$work/dist" --no-deps -q
"$work/venv/bin/pip" install -q "$work"/dist/kner-*.whl

cd "$work"  # outside the checkout: only the installed wheel can be imported
printf '충청북도는 ㈜월덱스와 한국재료연구원이 오송에서 이차전지 소부장 특화단지 지원사업을 논의했다.\n' > article.txt
for model in default rules; do
    "$work/venv/bin/kner" annotate article.txt -o "out-$model.jsonl" --model "$model" --quiet
done
"$work/venv/bin/python" - <<'PY'
import json
from pathlib import Path

import kner.resources

assert kner.resources.CHECKOUT is None and "site-packages" in str(kner.resources.LEXICONS), kner.resources.LEXICONS
for model in ("default", "rules"):
    [record] = [json.loads(line) for line in Path(f"out-{model}.jsonl").read_text(encoding="utf-8").splitlines()]
    spans = record["spans"]
    assert len(spans) >= 3, (model, spans)
    assert all(record["text"][s["start"]:s["end"]] == s["text"] for s in spans), spans
    print(f"wheel smoke, --model {model}: {record['kner']['model']}:",
          ", ".join(f"{s['text']}/{s['label']}" for s in spans))
PY
# kner train needs the repository's training data and says so
if "$work/venv/bin/kner" train -o "$work/model" 2> train.err; then
    echo "kner train ran outside a checkout" >&2; exit 1
fi
grep -q "needs a kner checkout" train.err
echo "wheel smoke test passed"
