"""A process's start-up objects kept out of the garbage collector's full passes.

Once Django has loaded (settings, apps, models, the URLconf and the views it imports), a web or worker process holds
~150,000 objects that live as long as it does. Every full collection walks all of them (~50 ms on this machine kind),
and work that keeps many rows alive for a while sets one off: a rollup chunk's counts triggered one or two a chunk,
45 ms of its 600 (bench/RESULTS.md). `gc.freeze()` moves the objects alive at that moment into a permanent
generation that collections skip; new objects are collected as before. In a process forked after the freeze (a
Celery pool's children) the frozen pages also stay shared, as collections no longer write to them.

Called once by each kind of long-running process: the WSGI module (gunicorn's workers, runserver), the Celery
worker (poshan.celery), and the benches that run the services in their own process as a worker would.
"""
from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Import what the first request would (the URLconf and its views), collect once, freeze what is left;
    returns the number of objects frozen (all of them so far, when called again)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the property imports every view module)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
