"""Every error kner reports, with its code: one class per kind, one place to look a code up.

The command line prints a KnerError as one line, `error: [Ennn] message`, and exits with `exit_status` (1, or 2
for a usage mistake); `--debug` adds the traceback. Library callers catch `KnerError` (or a subclass); the classes
also derive from the built-in exception their callers caught before (ValueError, RuntimeError, OSError).

| codes | what |
|---|---|
| E001-E009 | models: missing, unloadable, checksum, workers |
| E100-E109 | lexicon files |
| E200-E209 | the statistical tagger's own files (raised by kner.statistical.ModelError) |
| E300-E319 | output files: exists, locked, directory, unwritable, full, same as an input |
| E400-E429 | inputs: none found, and the per-record reasons an input is skipped (InputError.code) |
| E500-E509 | evaluate: gold and predictions cannot be paired |
| E600-E619 | annotation-tool formats and the record contract |
| E800-E809 | the Dask engine |
| E900-E999 | usage (exit status 2) and internal errors |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODED = re.compile(r"^\[(E\d{3})\] ")


class KnerError(Exception):
    """An error the user can act on: `[code] message`; `code` defaults to the class's."""

    code = "E999"
    exit_status = 1

    def __init__(self, message: str = "", code: str | None = None):
        found = _CODED.match(message)
        if found:  # messages written with their code in front keep it
            code, message = code or found.group(1), message[found.end():]
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.args = (message, self.code)  # so the code survives pickling (an error raised in a worker process)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class CheckoutError(KnerError, ValueError):
    """Something that needs the repository's files (training data), run from an installed wheel."""

    code = "E004"


class UsageError(KnerError, ValueError):
    """Options that do not fit together or cannot be used: exit status 2, like a command-line parse error."""

    code = "E900"
    exit_status = 2


class ModelLoadError(KnerError, RuntimeError):
    """A model that is missing, cannot be loaded, has no checksum, or a worker that could not load it."""

    code = "E002"


class LexiconError(KnerError, ValueError):
    """A lexicon file that cannot be read at all (missing, empty, or without the header line)."""

    code = "E101"


class OutputError(KnerError, OSError):
    """An output that cannot or must not be written: exists, locked by another run, a directory, full."""

    code = "E303"


class NoInputError(KnerError, ValueError):
    """The inputs named hold no article at all (an empty folder, a --glob that matches nothing)."""

    code = "E400"


class EvaluateError(KnerError, ValueError):
    """Gold and predictions cannot be compared (same id with another text, duplicate ids); says where."""

    code = "E500"


class FormatError(KnerError, ValueError):
    """A file that cannot be read or written as the format asked for; the message says why."""

    code = "E600"


class RecordError(KnerError, ValueError):
    """A record or span that breaks the annotated-JSONL contract; the message says what and how to fix it."""

    code = "E610"


class EngineError(KnerError, RuntimeError):
    """The Dask engine cannot run: the extra is not installed or the scheduler cannot be reached."""

    code = "E800"


# Codes of the reasons an input record or file is skipped (InputError.code); the message says the rest.
UNREADABLE = "E410"  # cannot open or read the file
BINARY = "E411"  # binary data, not text
UNDECODABLE = "E412"  # not UTF-8 (nor, for .txt, UTF-16 or CP949)
MALFORMED = "E413"  # not JSON
INVALID = "E414"  # JSON that breaks the record contract
EMPTY = "E415"  # an article with no text
TOO_LONG = "E416"  # over --max-chars (or a line over the reader's byte limit)
TOO_DEEP = "E417"  # nested deeper than the reader accepts
SURROGATE = "E418"  # a lone UTF-16 surrogate in the text, which no UTF-8 file can hold
ANALYSIS = "E419"  # the tokenizer or a tagger failed on this one article
UNSAFE_NAME = "E420"  # a file name or id that is not valid UTF-8 (a warning: it is made safe)


@dataclass(frozen=True)
class InputError:
    """A skipped input (or, with `warning`, one read with a change): which file, which line (0: the whole file),
    why, and the code of the reason. Readers yield these in place of records; they are reports, not exceptions."""

    file: str
    line: int
    reason: str
    code: str = INVALID
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"[{self.code}] {where}: {self.reason}"
