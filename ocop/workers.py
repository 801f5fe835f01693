"""Forked worker processes: the one way the build spreads CPU-bound work (reading, rendering, feeds) over cores."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from typing import Any


def forked_map(fn: Callable[[Any], Any], items: Iterable[Any], processes: int) -> list[Any]:
    """`fn` over `items` in `processes` forked workers, results in order.

    Forked, so workers share what the parent loaded (catalogue, templates, gazetteer) without pickling it.
    The pool is closed, not terminated, once the work is done: `with Pool()` ends in terminate(), which
    signals idle workers while the parent holds the task queue's lock, and a 20,000-product build was
    seen hanging there for good with a worker waiting on that lock. Closed, each worker takes its
    end-of-work marker and exits by itself; terminate() is only for an error.
    """
    pool = multiprocessing.get_context("fork").Pool(processes)
    try:
        results = pool.map(fn, items)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return results
