"""{% warm_urls user %}: the pages the service worker may fetch ahead for this user (poshan.core.pwa);
{% queue_words %}: what the offline queue's box says (data-t-<key>) and the name of each type of entry kept on the
phone (data-k-<type>), as attributes in the page's language."""
from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from poshan.core import pwa
from poshan.core.languages import on_translations_changed

register = template.Library()

# Rendered once per language in this process, forgotten when the translations shown change (approved wording
# corrections): the same ~20 translations were looked up on every signed-in page (a tenth of a kept dashboard
# page's time).
_QUEUE_WORDS: dict[str, str] = {}
on_translations_changed(_QUEUE_WORDS.clear)


@register.simple_tag
def warm_urls(user) -> str:
    return " ".join(pwa.warm_urls(user))


@register.simple_tag
def queue_words() -> str:
    language = get_language()
    words = _QUEUE_WORDS.get(language)
    if words is None:
        words = _QUEUE_WORDS[language] = mark_safe(
            format_html_join(" ", 'data-t-{}="{}"', pwa.QUEUE_WORDS.items()) + " "
            + format_html_join(" ", 'data-k-{}="{}"', pwa.ENTRY_NAMES.items()))
    return words
