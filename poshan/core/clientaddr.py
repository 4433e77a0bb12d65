"""The client's address: the one place that reads it (audit log, sign-in pause, django-axes).

Behind the HTTPS proxy every connection comes from the proxy, so the address is taken from X-Forwarded-For,
but only when the peer that connected is one of settings.TRUSTED_PROXIES: anyone else could write that header.
django-ipware reads the chain: the header as the proxy sent it, followed by the peer itself, must end with the
trusted proxies (one entry per hop, outermost first, each an address or a CIDR network); the hop before them is
the client. With TRUSTED_PROXIES empty (the default) the header is ignored and the address is REMOTE_ADDR.
"""
from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    forwarded = (request.META.get("HTTP_X_FORWARDED_FOR") or "").strip()
    proxies = list(getattr(settings, "TRUSTED_PROXIES", ()))
    if not (peer and forwarded and proxies):
        return peer
    chain = SimpleNamespace(META={"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"})
    address, _routable = get_client_ip(chain, proxy_trusted_ips=proxies,
                                       request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False)
    return address or peer
