"""`kner annotate --engine dask`: the batch job on a Dask cluster, one pipeline per worker, the same records out.

The client reads the inputs (reporting bad ones), cuts the good articles into partitions, keeps a bounded window
of partitions on the cluster and writes the returned lines in input order through the local engine's atomic
writer, so output, resume and error reporting are those of `kner.annotate.run`. Dask is imported here only.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from . import annotate
from .errors import EngineError
from .records import Record

PARTITION_SIZE = 256  # articles per task: ~0.3M chars, 5-15 s on one core, long next to per-task overhead
WINDOW_PER_THREAD = 2  # partitions in flight per worker thread: keeps workers busy, bounds client memory


__all__ = ["EngineError", "run"]


def run(paths: Sequence[str], out: str, *, scheduler: str | None = None, jobs: int = 1,
        partition_size: int = PARTITION_SIZE, **options: Any) -> annotate.Summary:
    """Like `kner.annotate.run`, on the cluster at `scheduler` or on a local cluster of `jobs` workers."""

    def lines(records: Iterable[Record], model, lexicons, tokens: bool, _jobs: int) -> Iterator[tuple[str, Counter]]:
        with _ClusterClient(scheduler, jobs) as client:
            yield from _cluster_lines(client, records, (model, tuple(lexicons), tokens), partition_size)

    return annotate.run(paths, out, jobs=jobs, annotator=lines, **options)


class _ClusterClient:
    """Context manager: a Client on the given scheduler, or on a LocalCluster of `jobs` one-thread workers."""

    def __init__(self, scheduler: str | None, jobs: int):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:
            raise EngineError("the dask engine needs the optional extra: pip install 'kner[dask]'") from e
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="30s")
            else:
                # one thread per worker process: the pipeline holds the GIL for most of its work
                self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
        except OSError as e:  # includes TimeoutError
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e

    def __enter__(self):
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _cluster_lines(client, records: Iterable[Record], setup: tuple,
                   partition_size: int) -> Iterator[tuple[str, Counter]]:
    """Submit partitions in order, at most a window of them at once, and yield their lines in input order."""
    threads = sum(client.nthreads().values()) or 1
    window: deque = deque()
    for part in annotate.batches(records, partition_size):
        window.append(client.submit(annotate_partition, part, setup, pure=False))
        if len(window) >= WINDOW_PER_THREAD * threads:
            yield from window.popleft().result()
    while window:
        yield from window.popleft().result()


_lock = threading.Lock()  # a worker with several threads runs one partition at a time through its pipeline
_loaded: tuple | None = None  # the (model, lexicons, tokens) whose pipeline this worker process holds


def annotate_partition(records: list[Record], setup: tuple) -> list[tuple[str, Counter]]:
    """Worker side: load the pipeline on first use (Kiwi sized to this worker's threads), annotate one partition."""
    global _loaded
    from dask.distributed import get_worker

    with _lock:
        if _loaded != setup:
            model, lexicons, tokens = setup
            annotate.init_worker(model, list(lexicons), tokens, threads=get_worker().state.nthreads)
            _loaded = setup
        return annotate.annotate_batch(records)
