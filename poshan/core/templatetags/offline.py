"""{% warm_urls user %}: the pages the service worker may fetch ahead for this user (poshan.core.pwa)."""
from __future__ import annotations

from django import template

from poshan.core import pwa

register = template.Library()


@register.simple_tag
def warm_urls(user) -> str:
    return " ".join(pwa.warm_urls(user))
