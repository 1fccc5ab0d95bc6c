"""Label Studio JSON: tasks with predictions or annotations, offsets in UTF-16 code units."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import FormatError, InputError
from ..jsonl import check_value, read_json
from ..output import AtomicJsonlWriter
from ..records import Record, RecordError
from .common import Losses, SkipWarning, _parse_all, _record, warn

LS_FROM, LS_TO = "label", "text"  # names of the <Labels> and <Text> tags in LABEL_CONFIG
LS_CARRIED = ("sentences", "kner")  # our record blocks kept in the task's data
LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="ORG" background="#7aa6ff"/>
    <Label value="LOC" background="#6fcf97"/>
    <Label value="PROGRAM" background="#f2c94c"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code-point index of `text` (len + 1 entries): Label Studio counts UTF-16 units."""
    out = [0]
    for ch in text:
        out.append(out[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return out


def labelstudio_task(record: Record, as_annotations: bool = False) -> dict[str, Any]:
    """A Label Studio NER task: spans as predictions (model_version, scores) or as a submitted annotation."""
    u16 = utf16_offsets(record.text)
    result = []
    for i, s in enumerate(record.spans):
        item: dict[str, Any] = {"id": f"kner{i}", "from_name": LS_FROM, "to_name": LS_TO, "type": "labels",
                                "value": {"start": u16[s.start], "end": u16[s.end], "text": s.text,
                                          "labels": [s.label]}}
        if s.score is not None:
            item["score"] = s.score
        extras = {k: getattr(s, k) for k in ("source", "canonical", "rule") if getattr(s, k)}
        if extras:
            item["kner"] = extras
        result.append(item)
    data: dict[str, Any] = {"text": record.text, "id": record.id, "meta": record.meta}
    if record.sentences:
        data["sentences"] = [list(x) for x in record.sentences]
    if record.kner is not None:
        data["kner"] = record.kner
    if as_annotations:
        return {"data": data, "annotations": [{"result": result}]}
    kner = record.kner or {}
    prediction: dict[str, Any] = {"model_version": " ".join(
        str(x) for x in ("kner", kner.get("version"), kner.get("model")) if x), "result": result}
    scores = [s.score for s in record.spans if s.score is not None]
    if scores:
        prediction["score"] = min(scores)  # the least sure span: sort tasks by it to review weak ones first
    return {"data": data, "predictions": [prediction]}


def write_labelstudio(records: Iterable[Record], path: str, as_annotations: bool = False) -> int:
    """A Label Studio JSON array of tasks, one per line; import it with LABEL_CONFIG as the labelling config."""
    losses = Losses("labelstudio")
    n, previous = 0, None
    with AtomicJsonlWriter(path) as writer:
        writer.write("[")
        for r in records:
            losses.record_fields(r, ("tokens",))
            if previous is not None:
                writer.write(previous + ",")
            previous = json.dumps(labelstudio_task(r, as_annotations), ensure_ascii=False)
            n += 1
        if previous is not None:
            writer.write(previous)
        writer.write("]")
    losses.report()
    return n


LS_MIN_KEYS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement")  # JSON-MIN


def is_json_min(task: Any) -> bool:
    """A JSON-MIN row: the task's data columns at the top level, no `data`, `annotations` or `predictions`."""
    return isinstance(task, dict) and not any(k in task for k in ("data", "annotations", "predictions", "drafts"))


def _min_regions(row: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The columns of a JSON-MIN row that hold text-label regions (`{"start", "end", "text", "labels"}`)."""
    def region(x: Any) -> bool:
        return isinstance(x, dict) and "start" in x and isinstance(x.get("labels"), list)

    out = {}
    for key, value in row.items():
        items = [value] if isinstance(value, dict) else value
        if isinstance(items, list) and items and all(region(x) for x in items):
            out[key] = items
    return out


def _min_task(row: dict[str, Any], text_key: str) -> dict[str, Any]:
    """A JSON-MIN row as a full-export task: data columns in `data`, the regions as one annotation."""
    regions = _min_regions(row)
    if text_key in regions:
        regions.pop(text_key)
    data = {k: v for k, v in row.items() if k not in regions and k not in LS_MIN_KEYS}
    result = [{"from_name": name, "to_name": text_key, "type": "labels",
               "value": {k: v for k, v in item.items() if k != "type"}}
              for name, items in regions.items() for item in items]
    task: dict[str, Any] = {"data": data}
    if "id" in row:
        task["id"] = row["id"]
    if regions or "annotation_id" in row or "annotator" in row:
        task["annotations"] = [{"result": result, "updated_at": row.get("updated_at"),
                                "created_at": row.get("created_at")}]
    return task


def read_labelstudio(path: str, text_key: str = "text") -> Iterator[Record]:
    """Label Studio JSON export (full or JSON-MIN, detected): each task's latest submitted annotation, else its
    latest prediction (reported). Drafts, cancelled annotations and non-label results are never read as spans."""
    try:
        tasks = read_json(path)
    except (OSError, ValueError) as e:
        raise FormatError(f"not a Label Studio JSON export: {e}", "E601") from None
    if not isinstance(tasks, list):
        raise FormatError(f"{path}: a Label Studio export is a JSON array of tasks, got {type(tasks).__name__}")
    stats: dict[str, list[str]] = {"predictions": [], "several": [], "unannotated": [], "drafts": [],
                                   "empty": [], "code points": [], "not objects": [], "ignored": []}
    if tasks and all(is_json_min(t) for t in tasks):
        tasks = _merge_min_rows([_min_task(t, text_key) for t in tasks])

    def parse(task: dict[str, Any], default_id: str) -> Record | None:
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get(text_key), str):
            raise RecordError(f"task has no text in data[{text_key!r}] (name the key with --text-key)")
        text = data[text_key]
        rid = data.get("id", task.get("id"))
        where = str(rid if rid is not None else default_id)
        submitted = sorted((a for a in _objects(task.get("annotations"), "annotations", where, stats)
                            if not a.get("was_cancelled")),
                           key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        # an annotation with an empty result says "no entities" only when no other one says more
        annotations = [a for a in submitted if a.get("result")] or submitted[-1:]
        predictions = _objects(task.get("predictions"), "predictions", where, stats)  # ids alone say nothing
        drafts = _objects(task.get("drafts"), "drafts", where, stats)
        if annotations:
            chosen = annotations[-1]
            if len(annotations) > 1:
                stats["several"].append(where)
            if not chosen.get("result"):
                stats["empty"].append(where)
        elif predictions:
            chosen = predictions[-1]
            stats["predictions"].append(where)
        else:
            stats["drafts" if drafts else "unannotated"].append(where)
            return None
        spans, back = [], {u: i for i, u in enumerate(utf16_offsets(text))}
        if not isinstance(chosen.get("result") or [], list):
            raise RecordError(f"the chosen annotation's result must be a list, got {chosen['result']!r:.60}")
        for item in _objects(chosen.get("result"), "result", where, stats):
            value = item.get("value")
            if not isinstance(value, dict) or not isinstance(value.get("labels"), list) or "start" not in value:
                stats["ignored"].append(str(item.get("type")))
                continue
            spans.extend(_labelstudio_spans(item, text, back, stats["code points"], where))
        ours = (text_key, "id", "meta", *LS_CARRIED)
        meta = {k: v for k, v in data.items() if k not in ours}  # the user's own data columns
        meta.update(data.get("meta") or {})
        extra = {k: data[k] for k in LS_CARRIED if k in data}
        return _record(rid, text, spans, meta, default_id, extra)

    yield from _parse_all(path, _checked(path, tasks), parse, unit="task")
    _report_labelstudio(path, stats)


def _merge_min_rows(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """JSON-MIN writes one row per annotation: rows of the same task id become one task with all annotations."""
    merged: dict[Any, dict[str, Any]] = {}
    out = []
    for task in tasks:
        key = task.get("id")
        if key is None or not isinstance(key, (str, int)) or key not in merged:
            out.append(task)
            if isinstance(key, (str, int)):
                merged[key] = task
        else:
            merged[key].setdefault("annotations", []).extend(task.get("annotations") or [])
    return out


def _checked(path: str, tasks: list[Any]) -> Iterator[tuple[int, Any]]:
    """(task number, task) with lone surrogates refused in texts and made safe elsewhere, as the JSONL reader does."""
    for i, task in enumerate(tasks, 1):
        for n, value in check_value(task, i, path, deep=False):
            if isinstance(value, InputError):
                if value.warning:
                    warn(f"{path} task {i}: {value.reason}")
                else:
                    warn(f"[{value.code}] {path} task {i}: {value.reason}; record skipped", SkipWarning)
            else:
                yield n, value


def _objects(items: Any, what: str, where: str, stats: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The JSON objects of a task's `what` list; anything else (Label Studio writes prediction ids) is noted."""
    if not items:
        return []
    if not isinstance(items, list):
        items = [items]
    kept = [x for x in items if isinstance(x, dict)]
    ids = what == "predictions" and all(isinstance(x, dict) or type(x) is int for x in items)
    if len(kept) < len(items) and not ids:  # a list of prediction ids is what Label Studio writes: no news
        stats["not objects"].append(f"{where} ({what})")
    return kept


def _labelstudio_spans(item: dict[str, Any], text: str, back: dict[int, int], code_points: list[str],
                       where: str) -> list[dict]:
    """Our spans from one labels region: UTF-16 offsets mapped back (`back`) to code points, text checked."""
    value = item["value"]
    start, end = value["start"], value.get("end")
    if type(start) is not int or type(end) is not int:
        raise RecordError(f"region {item.get('id')!r} needs integer start and end, got {start!r} and {end!r}")
    if start in back and end in back and (value.get("text") in (None, text[back[start]:back[end]])):
        start, end = back[start], back[end]
    elif value.get("text") == text[start:end]:
        code_points.append(where)  # written by a tool that counts code points; the region text proves it
    else:
        raise RecordError(f"region {item.get('id')!r} at UTF-16 [{start}, {end}) does not match its text "
                          f"{value.get('text')!r} (or falls inside an emoji)")
    extras = {k: v for k, v in (item.get("kner") or {}).items() if k in ("source", "canonical", "rule")}
    return [{"start": start, "end": end, "label": label, "score": item.get("score"), **extras}
            for label in value["labels"]]


LABELSTUDIO_NOTES = {  # what import says about the tasks in each group of its statistics
    "predictions": "{n} tasks had no submitted annotation, so their latest prediction was read instead "
                   "(not corrected by anyone)",
    "unannotated": "skipped {n} tasks with neither a submitted annotation nor a prediction (not annotated yet)",
    "drafts": "skipped {n} tasks with only drafts (a draft is not submitted; submit it in Label Studio to import it)",
    "empty": "{n} tasks had only annotations with an empty result; read as having no entities",
    "several": "{n} tasks had several annotations; the latest updated one was read",
    "not objects": "{n} tasks had annotations, predictions or results that are not objects (e.g. prediction ids); "
                   "those items were ignored",
    "code points": "{n} regions had code-point offsets instead of UTF-16 ones (their text matched); "
                   "read as code points in tasks",
}


def _report_labelstudio(path: str, stats: dict[str, list[str]]) -> None:
    """Say which tasks were read from predictions, had several annotations, or other surprises."""
    def ids(xs: list[str]) -> str:
        return ", ".join(xs[:10]) + (f" and {len(xs) - 10} more" if len(xs) > 10 else "")

    for key, message in LABELSTUDIO_NOTES.items():
        if stats[key]:
            warn(f"{path}: {message.format(n=len(stats[key]))}: {ids(stats[key])}")
    if stats["ignored"]:
        kinds = ", ".join(f"{k} ({n})" for k, n in Counter(stats["ignored"]).items())
        warn(f"{path}: ignored results that are not text labels: {kinds}")


