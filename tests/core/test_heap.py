"""The start-up heap frozen out of the collector's full passes, by the Celery worker (poshan.core.heap)."""
from __future__ import annotations

import gc
import sys

import pytest
from celery.signals import worker_process_init, worker_ready

from poshan.core.heap import freeze_startup_heap


@pytest.fixture
def unfrozen():
    """Each test starts from, and leaves, a heap with nothing frozen (the test process is neither kind)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezing_takes_the_loaded_app_out_of_full_collections(unfrozen):
    tracked = len(gc.get_objects())
    frozen = freeze_startup_heap()
    assert frozen == gc.get_freeze_count() > 10_000  # Django, the apps, the URLconf and its views
    assert len(gc.get_objects()) < tracked / 10  # what a full pass still walks
    assert "poshan.urls" in sys.modules  # imported now, not by the first request


def test_new_garbage_is_still_collected_after_the_freeze(unfrozen):
    freeze_startup_heap()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    del a, b
    assert gc.collect() >= 2


@pytest.mark.parametrize("signal", [worker_process_init, worker_ready], ids=["pool child", "worker process"])
def test_a_celery_worker_freezes_the_heap(unfrozen, signal):
    import poshan.celery  # noqa: F401  (connects its handlers, as the worker's -A poshan does)

    signal.send(sender=None)
    assert gc.get_freeze_count() > 10_000
