"""The one output writer: every command writes its file through here.

- A regular file OUT is written as OUT.partial (plain JSONL, whatever OUT's suffix) and moved to OUT only when
  the run completes (compressed on the way when OUT ends in .gz), so an interrupted run never leaves a torn OUT.
- While a run writes OUT it holds an exclusive lock on OUT.lock (released by the system if the process dies);
  a second run on the same OUT stops at once and names the first.
- `resume=True` keeps every complete record of OUT.partial (or of a finished OUT) in place: a torn last line is
  cut off and new records are appended. No step rewrites a finished record, so a resume can itself be stopped
  at any moment and resumed again; `done` counts the kept records by `key` so the caller can skip their inputs.
- "-" is standard output, and an existing non-regular file (/dev/stdout, a named pipe) is written directly:
  nothing is renamed over it and there is nothing to resume.
- Problems are found before work starts where they can be (a directory, a missing or read-only folder, a full
  disk, the output named as an input); a disk that fills during the run stops it with the records so far kept.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import socket
import stat
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, UsageError

STDOUT = "-"
MIN_FREE_BYTES = 1 << 20  # refuse to start on a disk with less than this free

__all__ = ["AtomicJsonlWriter", "check_output", "is_direct", "own_files", "partial_path"]


def partial_path(out: str | os.PathLike) -> Path:
    """Where an unfinished run keeps its records; moved to OUT when the run completes."""
    out = Path(out)
    return out.with_name(out.name + ".partial")


def lock_path(out: str | os.PathLike) -> Path:
    """The lock file a run holds while it writes OUT."""
    out = Path(out)
    return out.with_name(out.name + ".lock")


def is_direct(out: str | os.PathLike) -> bool:
    """Standard output, a name under /dev or /proc (/dev/stdout: whatever the shell made of it), or an existing file
    that is not a regular file (a device, a pipe): written in place, never renamed over."""
    if str(out) == STDOUT or str(out).startswith(("/dev/", "/proc/")):  # /dev/stdout may be a shell's redirect
        return True
    try:
        mode = os.stat(out).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def check_output(out: str | os.PathLike, *, force: bool = False, resume: bool = False,
                 inputs: Iterable[str] = ()) -> None:
    """Refuse, before any work, an output that cannot or must not be written; create its missing folders."""
    if is_direct(out):
        if resume:
            raise UsageError(f"--resume needs a regular output file; {out} is standard output or a device")
        return
    out = Path(out)
    if out.is_dir():
        raise OutputError(f"{out} is a directory; name a file to write (e.g. {out / 'out.jsonl'})", "E302")
    if out.exists() and not (force or resume):
        raise OutputError(f"{out} exists; pass --force to overwrite it or --resume to continue it", "E300")
    if partial_path(out).exists() and not (force or resume):
        raise OutputError(f"{partial_path(out)} holds the records of an interrupted run; pass --resume to continue "
                          "it or --force to start again", "E300")
    for path in inputs:
        if path != STDOUT and _same_file(path, out):
            raise OutputError(f"{out} is also an input ({path}); write the output to another file", "E305")
    folder = out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create the folder {folder} for {out} ({_why(e)})", "E303") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to the folder {folder} (permission denied); choose another --output",
                          "E303")
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise OutputError(f"the disk holding {folder} is full ({free:,} bytes free); free some space first", "E304")


def own_files(out: str | os.PathLike) -> Callable[[str], bool]:
    """A test of whether reading a path would read OUT itself, its partial or its lock file (by inode, taken when
    first asked, once the run has created them): never an input of the run."""
    own: set[tuple[int, int]] | None = None

    def test(path: str) -> bool:
        nonlocal own
        if own is None:
            own = set()
            for p in () if is_direct(out) else (out, partial_path(out), lock_path(out)):
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                own.add((st.st_dev, st.st_ino))
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) in own

    return test


def _same_file(a: str | os.PathLike, out: Path) -> bool:
    """Whether input `a` is OUT, OUT.partial or OUT.lock (by inode, so any spelling of the path matches)."""
    for b in (out, partial_path(out), lock_path(out)):
        try:
            if os.path.samefile(a, b):
                return True
        except OSError:
            continue
    return False


class _Lock:
    """An exclusive flock on OUT.lock naming its holder; a second holder fails at once with an OutputError."""

    def __init__(self, out: Path):
        self.out = out
        self.path = lock_path(out)
        self.fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:
                raise OutputError(f"cannot create the lock file {self.path} ({_why(e)})", "E303") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 4096).decode("utf-8", "replace").strip() or "another process"
                os.close(fd)
                raise OutputError(f"{self.out} is being written by another kner run ({holder}); wait for it to end "
                                  f"or choose another --output", "E301") from None
            try:  # the holder before us may have removed the file after we opened it: lock the one on disk
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        who = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
               "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:300] if sys.argv else ""}
        os.ftruncate(fd, 0)
        os.write(fd, ", ".join(f"{k} {v}" for k, v in who.items()).encode("utf-8", "replace"))
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            try:
                self.path.unlink()
            except OSError:
                pass
            os.close(self.fd)  # closing releases the flock
            self.fd = None


def _complete_lines(f: IO[bytes], key: Callable[[Any], Hashable] | None,
                    done: Counter) -> tuple[int, int]:
    """Read whole JSON lines from `f` (stopping at the first torn or broken one): (their byte length, count)."""
    offset = n = 0
    for line in f:
        if not line.endswith(b"\n"):
            break
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            break
        if key is not None:
            done[key(obj)] += 1
        offset += len(line)
        n += 1
    return offset, n


class AtomicJsonlWriter:
    """Context manager writing lines to OUT (see the module's docstring for how and why).

    `key(record_dict)` names a finished record on resume: `done` counts the kept records by key.
    """

    def __init__(self, out: str | os.PathLike, resume: bool = False, key: Callable[[Any], Hashable] | None = None,
                 binary: bool = False):
        self.name = str(out)
        self.out = Path(out)
        self.direct = is_direct(out)
        self.partial = partial_path(self.out)
        self.resume = resume
        self.key = key
        self.binary = binary  # write(bytes) of a whole binary file (a DocBin) instead of lines
        self.done: Counter = Counter()
        self.kept = 0
        self.written = 0
        self._f: IO[str] | None = None
        self._lock = _Lock(self.out)

    def __enter__(self) -> AtomicJsonlWriter:
        if self.direct:
            self._f = self._open_direct()
            return self
        check_output(self.out, force=True, resume=self.resume)
        self._lock.acquire()
        try:
            if self.resume:
                self._recover()
            else:
                self._remove(self.partial.with_name(self.partial.name + ".tmp"))
            if self.binary:
                self._f = open(self.partial, "wb")  # noqa: SIM115 (closed in __exit__)
            else:
                self._f = open(self.partial, "a" if self.resume else "w", encoding="utf-8", newline="\n")
        except OSError as e:
            self._lock.release()
            raise OutputError(f"cannot write {self.partial} ({_why(e)})", "E303") from None
        except BaseException:
            self._lock.release()
            raise
        return self

    def _open_direct(self) -> IO[str]:
        if self.name == STDOUT:
            raw: IO[bytes] = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        else:
            try:
                raw = open(self.out, "wb")  # noqa: SIM115 (closed in __exit__)
            except OSError as e:
                raise OutputError(f"cannot write {self.out} ({_why(e)})", "E303") from None
        if self.name.endswith(".gz"):
            raw = gzip.GzipFile(fileobj=raw, mode="wb")
        if self.binary:
            return raw
        import io

        return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")

    def _recover(self) -> None:
        """Keep the complete records of an earlier run in OUT.partial, cutting a torn tail; count them in `done`."""
        tmp = self.partial.with_name(self.partial.name + ".tmp")
        self._remove(tmp)
        source = None
        if self.partial.exists():
            with open(self.partial, "rb") as f:
                if f.read(2) == b"\x1f\x8b":  # a partial written compressed by kner < 0.3
                    source = self.partial
        elif self.out.exists():
            source = self.out  # a finished run: continue it with more inputs
        if source is not None:  # copy its complete lines to a new partial, then swap it in atomically
            from .jsonl import open_binary

            with open_binary(str(source)) as f, open(tmp, "wb") as g:
                for line in _whole_lines(f):
                    g.write(line)
            os.replace(tmp, self.partial)
        if not self.partial.exists():
            return
        with open(self.partial, "r+b") as f:
            offset, self.kept = _complete_lines(f, self.key, self.done)
            f.truncate(offset)

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass

    def write(self, line: str | bytes) -> None:
        """Append one line (newline added). Writes are buffered: after a kill, `--resume` keeps the complete
        lines that reached the partial file and annotates the rest again."""
        assert self._f is not None
        try:
            self._f.write(line if self.binary else line + "\n")
        except OSError as e:
            raise self._write_error(e) from None
        self.written += 1

    def _write_error(self, e: OSError) -> OutputError:
        if self.direct:
            return OutputError(f"cannot write {self.name} ({_why(e)})", "E303")
        kept = "the records written so far are kept there; {}rerun with --resume"
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return OutputError(f"the disk is full while writing {self.partial}; {kept.format('free some space and ')}",
                               "E304")
        return OutputError(f"cannot write {self.partial} ({_why(e)}); {kept.format('')}", "E303")

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._f is not None
        try:
            try:
                self._f.close()
            except OSError as e:
                if exc_type is None:
                    raise self._write_error(e) from None
            if exc_type is None and not self.direct:
                self._finish()
            elif not self.direct and not self.resume and self.written == 0:
                self._remove(self.partial)  # stopped before its first record: leave nothing to resume
        finally:
            self._lock.release()

    def _finish(self) -> None:
        """Move OUT.partial to OUT (compressing it first, into OUT.partial.tmp, when OUT ends in .gz)."""
        try:
            if self.out.name.endswith(".gz"):
                tmp = self.partial.with_name(self.partial.name + ".tmp")
                with open(self.partial, "rb") as src, open(tmp, "wb") as raw, \
                        gzip.GzipFile(self.out.name[:-3], mode="wb", fileobj=raw) as g:
                    shutil.copyfileobj(src, g, 1 << 20)
                os.replace(tmp, self.out)
                self.partial.unlink()
            else:
                os.replace(self.partial, self.out)
        except OSError as e:
            raise self._write_error(e) from None


def _whole_lines(f: IO[bytes]):
    """The complete JSON lines of a possibly cut-off file (plain or gzip)."""
    try:
        for line in f:
            if not line.endswith(b"\n"):
                return
            try:
                json.loads(line)
            except (ValueError, RecursionError):
                return
            yield line
    except (OSError, EOFError, ValueError, zlib.error):
        return
