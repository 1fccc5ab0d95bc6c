"""The `kner` command line: thin Typer wrappers around library functions (heavy imports inside commands).

Every failure ends as one line, `error: [Ennn] message`, with exit status 1 (2 for a usage mistake); `kner --debug
COMMAND …` also prints the traceback. The codes are listed in kner/errors.py.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import KnerError, ModelLoadError, OutputError, UsageError
from .inputs import DEFAULT_MAX_CHARS

STDIO = "-"
_state = {"debug": False}


class _Group(TyperGroup):
    """Typer's group, with parse errors printed as `error: [E900] …` lines (exit status 2) like every other error."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except Exception as e:  # click's (or Typer's copy of click's) exceptions, matched by what they carry
            if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):
                raise
            if type(e).__name__ == "NoArgsIsHelpError":
                e.show()
            else:
                ctx = getattr(e, "ctx", None)
                hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
                typer.secho(f"error: [{UsageError.code}] {e.format_message()}{hint}", err=True,
                            fg=typer.colors.RED)
            sys.exit(e.exit_code)
        except BaseException as e:
            if type(e).__name__ != "Abort":
                raise
            sys.exit(130)
        sys.exit(code or 0)


app = typer.Typer(
    cls=_Group,
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
    debug: bool = typer.Option(False, "--debug", help="Print the traceback of an error too (for bug reports)."),
) -> None:
    """Korean named entities (ORG, LOC, PROGRAM) for regional industrial-policy news."""
    _state["debug"] = debug


def _interrupt(signum, frame) -> None:
    """Treat SIGTERM like Ctrl-C so a killed run closes its partial output cleanly."""
    raise KeyboardInterrupt


def fail(message: str, code: int = 1, error_code: str | None = None) -> None:
    """Print an error the user can act on (`error: [Ennn] message`) and exit."""
    if error_code and not message.startswith("["):
        message = f"[{error_code}] {message}"
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def handled(command: Callable) -> Callable:
    """Run a command so that every failure is one `error: [Ennn] …` line and an exit status, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except KnerError as e:
            _debug()
            fail(str(e), e.exit_status)
        except KeyboardInterrupt:
            fail("interrupted", 130, "E901")
        except Exception as e:  # noqa: BLE001 (the last resort: a line, not a traceback)
            _debug()
            if type(e).__name__ == "ModelError":  # the statistical tagger's own (coded) errors
                fail(str(e), 1, ModelLoadError.code)
            if isinstance(e, OSError):
                fail(f"{e.filename + ': ' if e.filename else ''}{e.strerror or e}", 1, "E303")
            fail(f"internal error, please report it: {type(e).__name__}: {e} (rerun with `kner --debug …` for the "
                 "traceback)", 1, "E999")

    return run


def _debug() -> None:
    if _state["debug"]:
        traceback.print_exc()


def _existing_file(path: str, what: str = "input") -> str:
    """`path` if it is a readable file ("-": standard input), else a usage error naming it."""
    if path != STDIO and not Path(path).is_file():
        reason = "is a directory" if Path(path).is_dir() else "is not a file" if Path(path).exists() else \
            "does not exist"
        raise UsageError(f"{what} {path} {reason}", "E902")
    return path


@app.command()
@handled
def annotate(
    inputs: list[str] = typer.Argument(..., help="Files (.txt = one article, .jsonl/.jsonl.gz = one per line), "
                                                 "directories (searched recursively for --glob), or - for stdin"),
    output: str = typer.Option(..., "--output", "-o", help="Output JSONL; a name ending in .gz is compressed; "
                                                           "- for stdout"),
    model: str = typer.Option("default", "--model", "-m", help=MODEL_HELP),
    lexicon: list[Path] = typer.Option([], "--lexicon", "-l", help=LEXICON_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes"),
    tokens: bool = typer.Option(False, "--tokens", help="Also write Kiwi tokens (start, end, tag) on each record"),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same OUTPUT"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    glob: str = typer.Option("*.txt", "--glob", help="Which files to take from directories"),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", min=1,
                                  help="Skip (and report) longer articles; also bounds what is read per line"),
    engine: str = typer.Option("local", "--engine", help="local (--jobs processes here) or dask "
                                                         "(a Dask cluster; needs the dask extra, docs/scale.md)"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="With --engine dask: the scheduler address, "
                                         "e.g. tcp://host:8786 (default: a local cluster of --jobs workers)"),
) -> None:
    """Annotate articles into JSONL: one record per article with ORG, LOC and PROGRAM spans."""
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown --engine {engine!r}; use local or dask")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if inputs.count(STDIO) > 1:
        raise UsageError("standard input (-) can be read once only")
    for path in lexicon:
        _existing_file(str(path), "lexicon")
    import signal

    from .annotate import run
    from .output import check_output

    check_output(output, force=force, resume=resume, inputs=inputs)
    if engine == "dask":
        from functools import partial

        from .distributed import run as run_on_dask

        run = partial(run_on_dask, scheduler=scheduler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = run(inputs, output, model=model, lexicons=[str(p) for p in lexicon], jobs=jobs, tokens=tokens,
                      resume=resume, quiet=quiet, glob=glob, max_chars=max_chars, force=force)
    except KeyboardInterrupt:
        kept = "" if output == STDIO else (f"; {output} was not written. Rerun with --resume to continue from "
                                           "where it stopped")
        fail(f"interrupted{kept}", 130, "E901")
    typer.echo(summary.report(), err=True)
    if summary.errors:
        raise typer.Exit(1)


@app.command()
@handled
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
        raise UsageError("--labels needs at least one label, e.g. --labels ORG,LOC")
    if pred is not None and (model != "default" or lexicon):
        raise UsageError("--model and --lexicon only apply when GOLD is annotated here; drop them or drop PRED")
    from .output import AtomicJsonlWriter, check_output

    inputs = [str(gold)] + ([] if pred is None else [str(pred)])
    for out in (json_out if json_out != STDIO else None, html_out):
        if out is not None:
            check_output(out, force=force, inputs=inputs)  # before the work, not after it
    for path in lexicon:
        _existing_file(str(path), "lexicon")
    import json

    from . import report
    from .evaluate import run

    result = run(str(gold), None if pred is None else str(pred), fmt=fmt, labels=label_set, model=model,
                 lexicons=[str(p) for p in lexicon], bootstrap=bootstrap, seed=seed)
    ev = result.evaluation
    for message in (*result.input_warnings, *report.warnings(ev)):
        typer.secho(f"warning: {message}", err=True, fg=typer.colors.YELLOW)
    names = {"gold": str(gold), "pred": None if pred is None else str(pred), "ablation": result.ablation}
    if json_out != "-":
        typer.echo(report.text_report(ev, result.ablation, errors), nl=False)
    if json_out is not None:
        text = json.dumps(report.to_dict(ev, errors=errors, **names), ensure_ascii=False, indent=2)
        if json_out == STDIO:
            typer.echo(text)
        else:
            with AtomicJsonlWriter(json_out) as writer:
                writer.write(text)
    if html_out is not None:
        with AtomicJsonlWriter(html_out) as writer:
            writer.write(report.to_html(ev, errors=errors or 20, **names))
    if fail_under is not None and ev.headline < fail_under:
        fail(f"strict micro F1 {ev.headline:.4f} is below --fail-under {fail_under}", 1, "E505")


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


def _convert(src: str, dst: str, src_fmt: str, dst_fmt: str, force: bool, **options) -> None:
    """Shared body of export and import: convert, print every warning, exit 1 if records were skipped.

    "-" reads standard input (kept in a temporary file: formats are detected, and some read twice) and writes
    standard output; messages then name the input "-".
    """
    import tempfile

    from .formats import LABEL_CONFIG, SkipWarning, convert
    from .output import check_output

    _existing_file(src)
    check_output(dst, force=force, inputs=[src])
    with tempfile.TemporaryDirectory(prefix="kner-stdin-") as tmp:
        path = src
        if src == STDIO:
            path = os.path.join(tmp, "stdin")
            with open(path, "wb") as f:
                import shutil

                shutil.copyfileobj(sys.stdin.buffer, f, 1 << 20)
        try:
            n, caught = convert(path, dst, src_fmt, dst_fmt, **options)
        except KnerError as e:
            e.message = e.message.replace(path, src)
            raise
        for message in caught:  # a skipped record is an error (exit status 1), a dropped field a warning
            skipped = isinstance(message, SkipWarning)
            typer.secho(f"{'error' if skipped else 'warning'}: {str(message).replace(path, src)}", err=True,
                        fg=typer.colors.RED if skipped else typer.colors.YELLOW)
    typer.echo(f"wrote {n:,} records to {dst} ({dst_fmt})", err=True)
    if dst_fmt == "labelstudio":
        typer.echo(f"Label Studio labelling config (also in docs/interop.md):\n{LABEL_CONFIG}", err=True)
    if any(isinstance(m, SkipWarning) for m in caught):
        raise typer.Exit(1)


@app.command("export")
@handled
def export(
    src: str = typer.Argument(..., help="Records: `kner annotate` output or a gold file (any format, detected); "
                                        "- for stdin"),
    to: str = typer.Option(..., "--to", help=f"Target format: {FORMAT_NAMES} (or kner)"),
    output: str = typer.Option(..., "--output", "-o", help="Output file; - for stdout"),
    src_fmt: str = typer.Option("auto", "--from", help="Format of SRC if detection guesses wrong"),
    as_annotations: bool = typer.Option(False, "--as-annotations",
                                        help="labelstudio: spans as a submitted annotation, not predictions"),
    conll_comments: bool = typer.Option(False, "--conll-comments",
                                        help="conll: ids and texts as `# id`/`# text` lines (spaCy's converter "
                                             "rejects them) instead of the side file OUTPUT.ids"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Export records for an annotation tool; what the format cannot hold is listed (docs/interop.md)."""
    _convert(src, output, src_fmt, to, force, as_annotations=as_annotations, conll_comments=conll_comments)


@app.command("import")
@handled
def import_(
    src: str = typer.Argument(..., help="A file exported from an annotation tool; - for stdin"),
    src_fmt: str = typer.Option("auto", "--from", help=f"Its format: {FORMAT_NAMES}, kner (default: detected)"),
    output: str = typer.Option(..., "--output", "-o", help="Our gold JSONL, for `kner evaluate` and `kner train`; "
                                                           "- for stdout"),
    text_key: str = typer.Option("text", "--text-key", help="labelstudio: the data field holding the text"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Import corrected annotations into our gold JSONL; skipped records and dropped fields are reported."""
    _convert(src, output, src_fmt, "kner", force, text_key=text_key)


@app.command()
@handled
def train(
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write (e.g. models/kner-ko)"),
    gold: list[Path] = typer.Option([], "--gold", "-g", exists=True, dir_okay=False,
                                    help="Extra gold JSONL to train on, e.g. from `kner import` (repeatable)"),
    klue: Path = typer.Option(None, "--klue", help="KLUE gold JSONL [default: data/klue-ner/train.jsonl]"),
    no_klue: bool = typer.Option(False, "--no-klue", help="Train without KLUE"),
    silver: int = typer.Option(0, "--silver", min=0, help="Synthetic sentences per template (0, the default: none)"),
    no_domain: bool = typer.Option(False, "--no-domain", help="Train without the domain corpus (data/domain) "
                                                             "and fit the merge on KLUE alone"),
    distant: str = typer.Option(None, "--distant", help="Also train on raw KLUE sentences with distant-supervision "
                                                        "silver: 'news', 'all' (off by default: it lowers accuracy)"),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite OUTPUT if it exists"),
) -> None:
    """Train the statistical tagger and save the whole pipeline (rules + model + merge) to OUTPUT."""
    from .resources import checkout
    from .train import DEFAULT_KLUE, TrainConfig
    from .train import train as train_model

    checkout("kner train")
    if output.is_file():
        raise OutputError(f"{output} is a file; a model is saved as a directory", "E302")
    if output.exists() and any(output.iterdir()) and not force:
        raise OutputError(f"{output} exists and is not empty; pass --force to overwrite it", "E300")
    klue_path = None if no_klue else (klue or DEFAULT_KLUE)
    if distant not in (None, "news", "all"):
        raise UsageError(f"--distant takes news or all, not {distant!r}", "E903")
    if klue_path is not None and not klue_path.is_file():
        raise UsageError(f"KLUE file {klue_path} not found; pass --klue PATH or --no-klue", "E902")
    import warnings

    from .formats import FormatWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FormatWarning)
            config = TrainConfig(silver_per_template=silver, domain=not no_domain,
                                 distant={None: None, "news": "wikitree", "all": ""}[distant])
            cfg = train_model(output, klue_path, gold, config)
    except KnerError:
        raise
    except ValueError as e:
        fail(str(e), 1, "E610")
    for warning in caught:
        typer.echo(f"warning: {warning.message}", err=True)
    typer.echo(f"saved {output} ({cfg['train']['sentences']} training sentences)")


def main() -> None:
    """Console-script entry point."""
    app()
