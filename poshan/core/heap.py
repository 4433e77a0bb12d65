"""A Celery worker's start-up objects kept out of the garbage collector's full passes.

Once Django has loaded (settings, apps, models, the URLconf and the views it imports), a process holds ~150,000
objects that live as long as it does. Every full collection walks all of them (~50 ms on this machine kind), and
work that keeps many rows alive for a while sets one off: a rollup chunk's counts triggered one or two a chunk, 45 ms
of its 600 (bench/RESULTS.md). `gc.freeze()` moves the objects alive at that moment into a permanent generation that
collections skip; new objects are collected as before.

Called by the Celery worker only (poshan.celery), and by the rollup bench as that worker. Not by the web processes:
there the freeze cost 5-7 % of the load test's requests per second (bench/RESULTS.md), most likely because once the
start-up objects are out of the count, the collector's rule that spares full passes while few long-lived objects are
new no longer holds, and each full pass then walks what a web process builds after start-up (templates, caches).
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
