"""The `kner` command line: thin Typer wrappers around library functions (heavy imports inside commands)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import __version__
from .inputs import DEFAULT_MAX_CHARS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

MODEL_HELP = "Model directory or shipped model name; 'rules' for rules alone [default: $KNER_MODEL or kner-ko]"
LEXICON_HELP = "Extra TSV lexicon for the rule tagger (repeatable; format in docs/rules.md)"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news."""


def _interrupt(signum, frame) -> None:
    """Treat SIGTERM like Ctrl-C so a killed run closes its partial output cleanly."""
    raise KeyboardInterrupt


def fail(message: str, code: int = 1) -> None:
    """Print an error the user can act on and exit."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


@app.command()
def annotate(
    inputs: list[str] = typer.Argument(..., help="Files (.txt = one article, .jsonl/.jsonl.gz = one per line), "
                                                 "directories (searched recursively for --glob), or - for stdin"),
    output: Path = typer.Option(..., "--output", "-o", help="Output JSONL; a name ending in .gz is compressed"),
    model: str = typer.Option("default", "--model", "-m", help=MODEL_HELP),
    lexicon: list[Path] = typer.Option([], "--lexicon", "-l", help=LEXICON_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes"),
    tokens: bool = typer.Option(False, "--tokens", help="Also write Kiwi tokens (start, end, tag) on each record"),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same OUTPUT"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    glob: str = typer.Option("*.txt", "--glob", help="Which files to take from directories"),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Skip (and report) longer articles"),
    engine: str = typer.Option("local", "--engine", help="local (--jobs processes here) or dask "
                                                         "(a Dask cluster; needs the dask extra, docs/scale.md)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address, "
                                         "e.g. tcp://host:8786 (default: a local cluster of --jobs workers)"),
) -> None:
    """Annotate articles into JSONL: one record per article with ORG, LOC and PROGRAM spans."""
    if engine not in ("local", "dask"):
        fail(f"unknown --engine {engine!r}; use local or dask")
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask")
    if output.exists() and not (force or resume):
        fail(f"{output} exists; pass --force to overwrite it or --resume to continue it")
    for path in lexicon:
        if not path.is_file():
            fail(f"lexicon {path} not found")
    import signal

    from .annotate import run
    from .distributed import EngineError
    from .nlp import ModelLoadError

    if engine == "dask":
        from functools import partial

        from .distributed import run as run_on_dask

        run = partial(run_on_dask, scheduler=scheduler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = run(inputs, str(output), model=model, lexicons=[str(p) for p in lexicon], jobs=jobs,
                      tokens=tokens, resume=resume, quiet=quiet, glob=glob, max_chars=max_chars)
    except (ModelLoadError, EngineError) as e:
        fail(str(e))
    except KeyboardInterrupt:
        fail(f"interrupted; {output} was not written. Rerun with --resume to continue from where it stopped", 130)
    typer.echo(summary.report(), err=True)
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold JSONL: ours, Prodigy or doccano"),
    pred: Path | None = typer.Argument(None, exists=True, dir_okay=False,
                                       help="Predictions to score, e.g. `kner annotate` output (format detected); "
                                            "without it GOLD's texts are annotated with the pipeline"),
    fmt: str = typer.Option("auto", "--format", help="Format of GOLD: auto, kner, prodigy or doccano"),
    labels: str = typer.Option("ORG,LOC,PROGRAM", "--labels", help="Comma-separated labels to score; "
                                                                   "spans with other labels are ignored"),
    model: str = typer.Option("default", "--model", "-m", help=MODEL_HELP + " (without PRED only)"),
    lexicon: list[Path] = typer.Option([], "--lexicon", "-l", help=LEXICON_HELP + " (without PRED only)"),
    json_out: str | None = typer.Option(None, "--json", metavar="FILE|-",
                                        help="Write the figures as JSON to FILE, or to stdout with -"),
    html_out: Path | None = typer.Option(None, "--html", help="Write a self-contained HTML report"),
    errors: int = typer.Option(0, "--errors", min=0, help="List the N documents with the most errors"),
    fail_under: float | None = typer.Option(None, "--fail-under", min=0.0, max=1.0,
                                            help="Exit with code 1 when strict micro F1 is below this (CI gate)"),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap samples for 95% CIs (0: none)"),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resampling"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite existing --json / --html files"),
) -> None:
    """Score predictions against gold: strict, relaxed and label-blind P/R/F1, confusion, errors (docs/evaluate.md)."""
    label_set = tuple(x.strip() for x in labels.split(",") if x.strip())
    if not label_set:
        fail("--labels needs at least one label, e.g. --labels ORG,LOC")
    if pred is not None and (model != "default" or lexicon):
        fail("--model and --lexicon only apply when GOLD is annotated here; drop them or drop PRED")
    for out in (Path(json_out) if json_out not in (None, "-") else None, html_out):
        if out is not None and out.exists() and not force:
            fail(f"{out} exists; pass --force to overwrite it")
    for path in lexicon:
        if not path.is_file():
            fail(f"lexicon {path} not found")
    import json

    from . import report
    from .evaluate import EvaluateError, run
    from .formats import FormatError
    from .nlp import ModelLoadError

    try:
        result = run(str(gold), None if pred is None else str(pred), fmt=fmt, labels=label_set, model=model,
                     lexicons=[str(p) for p in lexicon], bootstrap=bootstrap, seed=seed)
    except (EvaluateError, FormatError, ModelLoadError, FileNotFoundError) as e:
        fail(str(e))
    ev = result.evaluation
    for message in (*result.input_warnings, *report.warnings(ev)):
        typer.secho(f"warning: {message}", err=True, fg=typer.colors.YELLOW)
    names = {"gold": str(gold), "pred": None if pred is None else str(pred), "ablation": result.ablation}
    if json_out != "-":
        typer.echo(report.text_report(ev, result.ablation, errors), nl=False)
    if json_out is not None:
        text = json.dumps(report.to_dict(ev, errors=errors, **names), ensure_ascii=False, indent=2) + "\n"
        if json_out == "-":
            typer.echo(text, nl=False)
        else:
            Path(json_out).write_text(text, encoding="utf-8")
    if html_out is not None:
        html_out.write_text(report.to_html(ev, errors=errors or 20, **names), encoding="utf-8")
    if fail_under is not None and ev.headline < fail_under:
        fail(f"strict micro F1 {ev.headline:.4f} is below --fail-under {fail_under}")


@app.command()
def report(
    inputs: list[str] = typer.Argument(..., help="Annotated JSONL (.jsonl/.jsonl.gz, e.g. `kner annotate` output); "
                                                 "several files or a quoted glob ('out/*.jsonl.gz') are read as one"),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write, e.g. overview.html"),
    max_articles: int = typer.Option(20_000, "--max-articles", min=0,
                                     help="Past this many articles the browser holds a fixed sample of them "
                                          "(the tables still count all)"),
    title: str | None = typer.Option(None, "--title", help="Page title [default: the input file names]"),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Skip malformed lines (reported; exit status 1) "
                                                            "instead of stopping at the first"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Write one offline HTML overview of an annotated archive: top names, provinces, pairs, an article browser."""
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    import warnings

    from .formats import SkipWarning
    from .overview import summary_line, write_report
    from .records import RecordError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SkipWarning)
            overview = write_report(inputs, output, max_articles=max_articles, title=title,
                                    errors="skip" if skip_bad else "raise")
    except RecordError as e:
        fail(str(e).replace("pass errors='skip'", "pass --skip-bad"))
    except (FileNotFoundError, OSError) as e:
        fail(str(e))
    skipped = [w for w in caught if issubclass(w.category, SkipWarning)]
    for w in skipped:
        typer.secho(f"warning: {w.message}", err=True, fg=typer.colors.YELLOW)
    typer.echo(summary_line(overview, output), err=True)
    if skipped:
        raise typer.Exit(1)


FORMAT_NAMES = "prodigy, doccano, labelstudio, conll, docbin"


def _convert(src: Path, dst: Path, src_fmt: str, dst_fmt: str, force: bool, **options) -> None:
    """Shared body of export and import: convert, print every warning, exit 1 if records were skipped."""
    if dst.exists() and not force:
        fail(f"{dst} exists; pass --force to overwrite it")
    from .formats import LABEL_CONFIG, FormatError, SkipWarning, convert

    try:
        n, caught = convert(src, dst, src_fmt, dst_fmt, **options)
    except (FormatError, OSError) as e:
        fail(str(e))
    for message in caught:
        typer.secho(f"warning: {message}", err=True, fg=typer.colors.YELLOW)
    typer.echo(f"wrote {n:,} records to {dst} ({dst_fmt})", err=True)
    if dst_fmt == "labelstudio":
        typer.echo(f"Label Studio labelling config (also in docs/interop.md):\n{LABEL_CONFIG}", err=True)
    if any(isinstance(m, SkipWarning) for m in caught):
        raise typer.Exit(1)


@app.command("export")
def export(
    src: Path = typer.Argument(..., exists=True, dir_okay=False,
                               help="Records: `kner annotate` output or a gold file (any format, detected)"),
    to: str = typer.Option(..., "--to", help=f"Target format: {FORMAT_NAMES} (or kner)"),
    output: Path = typer.Option(..., "--output", "-o", help="Output file"),
    src_fmt: str = typer.Option("auto", "--from", help="Format of SRC if detection guesses wrong"),
    as_annotations: bool = typer.Option(False, "--as-annotations",
                                        help="labelstudio: spans as a submitted annotation, not predictions"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Export records for an annotation tool; what the format cannot hold is listed (docs/interop.md)."""
    _convert(src, output, src_fmt, to, force, as_annotations=as_annotations)


@app.command("import")
def import_(
    src: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file exported from an annotation tool"),
    src_fmt: str = typer.Option("auto", "--from", help=f"Its format: {FORMAT_NAMES}, kner (default: detected)"),
    output: Path = typer.Option(..., "--output", "-o", help="Our gold JSONL, for `kner evaluate` and `kner train`"),
    text_key: str = typer.Option("text", "--text-key", help="labelstudio: the data field holding the text"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Import corrected annotations into our gold JSONL; skipped records and dropped fields are reported."""
    _convert(src, output, src_fmt, "kner", force, text_key=text_key)


@app.command()
def train(
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write (e.g. models/kner-ko)"),
    gold: list[Path] = typer.Option([], "--gold", "-g", exists=True, dir_okay=False,
                                    help="Extra gold JSONL to train on, e.g. from `kner import` (repeatable)"),
    klue: Path = typer.Option(None, "--klue", help="KLUE gold JSONL [default: data/klue-ner/train.jsonl]"),
    no_klue: bool = typer.Option(False, "--no-klue", help="Train without KLUE"),
    silver: int = typer.Option(30, "--silver", min=0, help="Synthetic sentences per template (0: none)"),
    no_domain: bool = typer.Option(False, "--no-domain", help="Train without the domain corpus (data/domain) "
                                                             "and fit the merge on KLUE alone"),
    distant: str = typer.Option(None, "--distant", help="Also train on raw KLUE sentences with distant-supervision "
                                                        "silver: 'news', 'all' (off by default: it lowers accuracy)"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Train the statistical tagger and save the whole pipeline (rules + model + merge) to OUTPUT."""
    from .resources import CheckoutError, checkout
    from .train import DEFAULT_KLUE, TrainConfig
    from .train import train as train_model

    try:
        checkout("kner train")
    except CheckoutError as e:
        fail(str(e))
    if output.exists() and any(output.iterdir()) and not force:
        fail(f"{output} exists and is not empty; pass --force to overwrite it")
    klue_path = None if no_klue else (klue or DEFAULT_KLUE)
    if distant not in (None, "news", "all"):
        fail(f"--distant takes news or all, not {distant!r}", 2)
    if klue_path is not None and not klue_path.is_file():
        fail(f"KLUE file {klue_path} not found; pass --klue PATH or --no-klue")
    import warnings

    from .formats import FormatWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FormatWarning)
            config = TrainConfig(silver_per_template=silver, domain=not no_domain,
                                 distant={None: None, "news": "wikitree", "all": ""}[distant])
            cfg = train_model(output, klue_path, gold, config)
    except ValueError as e:
        fail(str(e))
    for warning in caught:
        typer.echo(f"warning: {warning.message}", err=True)
    typer.echo(f"saved {output} ({cfg['train']['sentences']} training sentences)")


def main() -> None:
    """Console-script entry point."""
    app()
