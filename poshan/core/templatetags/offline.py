"""{% warm_urls user %}: the pages the service worker may fetch ahead for this user (poshan.core.pwa);
{% entry_names %}: the name of each type of entry kept on the phone, as data-k-<type> attributes."""
from __future__ import annotations

from django import template
from django.utils.html import format_html_join

from poshan.core import pwa

register = template.Library()


@register.simple_tag
def warm_urls(user) -> str:
    return " ".join(pwa.warm_urls(user))


@register.simple_tag
def entry_names() -> str:
    return format_html_join(" ", 'data-k-{}="{}"', ((kind, name) for kind, name in pwa.ENTRY_NAMES.items()))
