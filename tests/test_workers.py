"""The build's forked workers: results in order, errors raised in the parent, no worker left behind."""

import multiprocessing
import os

import pytest

from ocop.workers import forked_map


def _square(n: int) -> int:
    return n * n


def _fails(n: int) -> int:
    if n == 3:
        raise ValueError("record 3")
    return n


def _pid(_: int) -> int:
    return os.getpid()


def test_results_come_in_order_from_other_processes():
    assert forked_map(_square, range(10), 2) == [n * n for n in range(10)]
    assert os.getpid() not in forked_map(_pid, range(4), 2)
    assert multiprocessing.active_children() == []  # closed and joined: every worker has exited


def test_an_error_in_a_worker_is_raised_in_the_build_and_the_workers_end():
    with pytest.raises(ValueError, match="record 3"):
        forked_map(_fails, range(6), 2)
    assert multiprocessing.active_children() == []


def test_many_pools_one_after_another_all_finish():
    # A pool ended by terminate() could hang a build with a worker waiting on the task queue's lock.
    for _ in range(30):
        assert forked_map(_square, range(4), 2) == [0, 1, 4, 9]
