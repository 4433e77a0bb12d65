"""Approved corrections on top of the compiled catalogues, without a deploy.

Django keeps one DjangoTranslation per language per process; its `_catalog` is a TranslationCatalog, a list of
dicts looked up in order. Each language gets one more dict in front holding its approved corrections, so every
gettext (templates, forms, messages) finds the correction first; the .mo files stay as they are. The dict is
rebuilt when the corrections' version changes: the version lives in the cache (one read per request, at the
start of the request), and an approval deletes it, so every process rebuilds its dicts on its next request.
"""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import trans_real

from poshan.core.languages import translations_changed

VERSION_KEY = "wording:version"


def correctable_languages() -> tuple[str, ...]:
    """Every language of the portal but the source language (English is the msgid itself)."""
    return tuple(code for code, _name in settings.LANGUAGES if code != "en")


def version() -> str:
    """Changes whenever the approved corrections change; part of every cached page's key."""
    value = cache.get(VERSION_KEY)
    if value is None:
        from poshan.wording.models import WordingCorrection

        # The time of the last decision too: on SQLite a deleted row's id is given again, and the same count and
        # last id would then name different wordings.
        agg = WordingCorrection.objects.filter(status=WordingCorrection.Status.APPROVED).aggregate(
            n=Count("pk"), last=Max("pk"), at=Max("decided_at"))
        value = f"{agg['n']}.{agg['last'] or 0}.{agg['at'].timestamp() if agg['at'] else 0}"
        cache.set(VERSION_KEY, value, None)
    return value


def invalidate() -> None:
    cache.delete(VERSION_KEY)


def approved(language: str) -> dict[str, str]:
    """msgid → the latest approved wording, for one language."""
    from poshan.wording.models import WordingCorrection

    rows = (WordingCorrection.objects.filter(language=language, status=WordingCorrection.Status.APPROVED)
            .order_by("decided_at", "pk").values_list("msgid", "proposed"))
    return dict(rows)


def apply(language: str, current: str | None = None) -> None:
    """Put this language's approved corrections in front of its catalogue (when they changed)."""
    if language not in correctable_languages():
        return
    current = current or version()
    trans = trans_real.translation(language)
    if getattr(trans, "_wording_version", None) == current:
        return
    catalogs = trans._catalog._catalogs
    plurals = trans._catalog._plurals
    overrides = approved(language)
    old = getattr(trans, "_wording_overrides", None)
    for index, catalog in enumerate(catalogs):
        if catalog is old:
            catalogs[index] = overrides
            break
    else:
        catalogs.insert(0, overrides)
        plurals.insert(0, plurals[0])
    trans._wording_overrides = overrides
    trans._wording_version = current
    translations_changed()  # what was rendered once per language is rendered again


def compiled(language: str, msgid: str) -> str | None:
    """The translation in the compiled catalogue (.mo), without the corrections."""
    trans = trans_real.translation(language)
    old = getattr(trans, "_wording_overrides", None)
    for catalog in trans._catalog._catalogs:
        if catalog is not old and msgid in catalog:
            return catalog[msgid]
    return None


def entries(language: str):
    """(msgid, translation now shown) of every singular string in the language's own catalogues."""
    apply(language)
    trans = trans_real.translation(language)
    seen = set()
    for key, value in trans._catalog.items():
        if isinstance(key, str) and key and key not in seen:
            seen.add(key)
            yield key, trans._catalog[key]


def on_request_started(**_kwargs) -> None:
    try:
        current = version()
    except Exception:  # noqa: BLE001 — no database yet (migrate, a probe): pages still render from the .mo
        return
    for language in correctable_languages():
        apply(language, current)
