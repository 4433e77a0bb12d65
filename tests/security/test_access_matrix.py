"""The access matrix, generated: every URL pattern and every API operation, for every role and for a visitor who
is not signed in, against an object inside the user's area (awc1, state1) and one outside it (awc6, state2).

PAGES and API below are the ONE table of who may open what. The first tests walk Django's URL resolver and the
OpenAPI schema: a URL or an operation that is not in the table fails the run ("add a scoping rule"), and so does
a table entry that no longer exists. Then, for each URL and role:

- a role in `roles`, object in scope   → 200 (or 302 where listed); POST-only endpoints: anything but 5xx
- the same role, object out of scope   → 404 (or 403)
- a role not in `roles`                → 403 (or 404), GET and (where the view accepts it) an empty POST
- not signed in                        → 302 to the login page (pages), 401/403 (API)
- and never a 5xx, for anyone.
- a read that shows personal data (a seeded name, mobile or Aadhaar of the world appears in the answer), or whose
  view declares `personal_data = True`, or whose rule says `personal=True` (a PDF, an image), writes exactly ONE
  audit event (view or export) naming the reader, her address and the object or list, never a personal value;
  any other read writes none beyond one. An unaudited personal-data page or operation fails here.

"aww_charge", the AWW with additional charge (awc2's worker holding awc1: tests/security/world.py), is tried as a role
of her own with the AWW's rules: she sees awc1 (the in-scope objects) and her own awc2, never awc6 or anything else.

The helpline operator is allowed only grievance pages and endpoints (plus home, profile, the location tree, the
API's own "me"): everything with personal data answers her 403/404.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from poshan.core.models import AuditEvent
from poshan.core.roles import Role

from .world import SEEDED, build_world

CHARGE = "aww_charge"  # an AWW of awc2 holding awc1 on additional charge: the AWW's rules, both centres
ROLES = (*(str(r) for r in Role.values), CHARGE)
NATION = frozenset({"ministry", "helpline", "admin"})
ALL = frozenset(ROLES)
NAMES = frozenset({"aww", "awh", "supervisor"})  # see names: serve or follow up the person
CENTRE = frozenset({"aww", "awh"})
AWW = frozenset({"aww"})
OFFICERS = frozenset({"supervisor", "cdpo", "dpo", "state", "ministry"})
NOT_HELPLINE = ALL - {"helpline"}
TRAINING_PEOPLE = frozenset({"supervisor", "cdpo", "dpo", "state", "ministry", "admin"})
FIGURES = frozenset({"aww", "awh", "supervisor", "cdpo", "dpo", "state", "ministry"})  # growth/THR figures
EXPORTERS = frozenset({"dpo", "state", "ministry", "admin"})
REFRESHERS = frozenset({"state", "ministry", "admin"})  # may recount a month's dashboard figures
INCENTIVE = ALL - {"awh", "helpline"}  # the workers' performance: her own, then each level's area
ANON = "anonymous"

Kwargs = Callable[[object, str], tuple[dict, dict | None]]  # (world, role) -> (in scope, out of scope or None)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    kwargs: Kwargs | None = None
    post_only: bool = False
    redirect_roles: frozenset[str] = frozenset()  # allowed, but answered with a redirect (e.g. to her own centre)
    public: bool = False  # no sign-in needed
    notes: str = ""
    personal: bool = False  # personal data the name check cannot see (a PDF, an image): must be audited too


def pk(attr_in: str | Callable, attr_out: str | None = None, key: str = "pk", **extra) -> Kwargs:
    """kwargs from world attributes (or a function of world and role) for the in- and out-of-scope objects."""

    def build(w, role):
        obj_in = attr_in(w, role) if callable(attr_in) else getattr(w, attr_in)
        obj_out = getattr(w, attr_out) if attr_out else None
        as_id = lambda o: o if isinstance(o, int) else o.pk  # noqa: E731
        return ({key: as_id(obj_in), **extra}, {key: as_id(obj_out), **extra} if obj_out is not None else None)

    return build


def grievance_for(w, role):
    """The grievance a role may see in awc1: a worker hers, the helpline the one it recorded, officers any."""
    return {"aww": w.grievance_aww, "awh": w.grievance_awh, "helpline": w.grievance_helpline,
            CHARGE: w.grievance_aww_charge}.get(role, w.grievance_aww)


def claim_for(w, role):
    """A worker's allowance claim is her own: the AWW with additional charge reads hers."""
    return w.claim_charge if role == CHARGE else w.claim1


def allowed_for(role: str, roles: frozenset[str]) -> bool:
    """The AWW with additional charge has exactly the AWW's rules."""
    return role in roles or (role == CHARGE and "aww" in roles)


def export_for(w, role):
    return w.export_jobs.get(role, w.export_jobs["dpo"])


def register_kwargs(kind: str | None):
    def build(w, role):
        extra = {"year": w.today.year, "month": w.today.month, **({"kind": kind} if kind else {})}
        return {"pk": w.awc1.pk, **extra}, {"pk": w.awc6.pk, **extra}

    return build


# ---- THE TABLE: every named URL of the site (the API's are in API below; /admin/ has its own rule) ----------------
PAGES: dict[str, Rule] = {
    "home": Rule(ALL),
    "login": Rule(ALL, public=True, redirect_roles=ALL, notes="signed in: sent home"),
    "logout": Rule(ALL, post_only=True, public=True),
    "profile": Rule(ALL),
    "set_language": Rule(ALL, post_only=True, public=True),
    "login_language": Rule(ALL, post_only=True, public=True),
    "service_worker": Rule(ALL, public=True),
    "offline": Rule(ALL, public=True),
    "audit_list": Rule(frozenset({"ministry", "admin"})),
    # anganwadi: the location tree is not personal data (the helpline needs it to find a caller's centre)
    "anganwadi:my_area": Rule(ALL),
    "anganwadi:area": Rule(ALL, pk("awc1", "awc6")),
    "anganwadi:staff": Rule(frozenset({"dpo", "state", "ministry", "admin"})),
    "anganwadi:today": Rule(AWW),
    "anganwadi:equipment": Rule(NOT_HELPLINE, redirect_roles=CENTRE),
    "anganwadi:equipment_centre": Rule(NOT_HELPLINE, pk("awc1", "awc6")),
    "anganwadi:charges": Rule(frozenset({"cdpo"})),
    "anganwadi:charge_revoke": Rule(frozenset({"cdpo"}), pk("charge1", "charge6"), post_only=True),
    "anganwadi:centre_switch": Rule(AWW, post_only=True),
    "anganwadi:allowance": Rule(frozenset({"aww", "supervisor", "cdpo"})),
    "anganwadi:allowance_approve": Rule(frozenset({"state"})),
    "anganwadi:allowance_figures": Rule(OFFICERS),
    "anganwadi:allowance_figures_place": Rule(OFFICERS, pk("awc1", "awc6")),
    # beneficiaries: names for the centre and its supervisor; writes by the centre's worker
    "beneficiaries:register": Rule(NAMES),
    "beneficiaries:due": Rule(NAMES),
    "beneficiaries:new": Rule(AWW),
    "beneficiaries:detail": Rule(NAMES, pk("woman1", "woman6")),
    "beneficiaries:edit": Rule(AWW, pk("woman1", "woman6")),
    "beneficiaries:pregnancy": Rule(AWW, pk("woman1", "woman6")),
    "beneficiaries:exit": Rule(AWW, pk("husband1", "husband6")),  # GET: the confirmation page
    "beneficiaries:exit_undo": Rule(frozenset({"supervisor"}), pk("husband1", "husband6"), post_only=True),
    "beneficiaries:life_stages": Rule(frozenset({"supervisor"})),
    "beneficiaries:life_stage_undo": Rule(frozenset({"supervisor"}), pk("life_stage_change1", "life_stage_change6"),
                                          post_only=True),
    "beneficiaries:move": Rule(AWW, pk("husband1", "husband6")),
    "beneficiaries:delivery": Rule(AWW, pk("pregnancy1", "pregnancy6")),
    "beneficiaries:household": Rule(NAMES, pk("household1", "household6")),
    "beneficiaries:transfers": Rule(NAMES),
    "beneficiaries:attendance": Rule(AWW, personal=True),  # the world's child is too young for the sheet
    "beneficiaries:home_visit": Rule(AWW, pk("woman1", "woman6")),
    "beneficiaries:summary": Rule(frozenset({"aww", "awh", "supervisor", "cdpo"})),
    "beneficiaries:transfer_action": Rule(AWW, pk("transfer1", "transfer6", action="reject"), post_only=True),
    # grievances: a worker hers, the helpline what it recorded, officers their area's
    "grievances:list": Rule(ALL),
    "grievances:lodge": Rule(ALL),
    "grievances:queue": Rule(OFFICERS),
    "grievances:figures": Rule(OFFICERS | {"admin"}),
    "grievances:notifications": Rule(ALL),
    "grievances:detail": Rule(ALL, pk(grievance_for, "grievance6")),
    "grievances:screenshot": Rule(ALL, pk(grievance_for, "grievance6"), personal=True),
    "grievances:act": Rule(ALL, pk(grievance_for, "grievance6", action="note"), post_only=True),
    # training: the library is national (out of scope = an unpublished video); people pages are scoped
    "training:library": Rule(NOT_HELPLINE),
    "training:video": Rule(NOT_HELPLINE, pk("video", "video_unpublished")),
    "training:stream": Rule(NOT_HELPLINE, pk("video", "video_unpublished")),
    "training:poster": Rule(NOT_HELPLINE, pk("video", "video_unpublished")),
    "training:watched": Rule(NOT_HELPLINE, pk("video", "video_unpublished"), post_only=True),
    "training:quiz": Rule(NOT_HELPLINE, pk("video", "video_unpublished")),
    "training:workers": Rule(TRAINING_PEOPLE),
    "training:worker": Rule(TRAINING_PEOPLE, pk("aww", "aww6")),
    "training:sessions": Rule(TRAINING_PEOPLE),
    "training:session_new": Rule(frozenset({"supervisor", "cdpo", "dpo", "state"})),
    "training:session": Rule(TRAINING_PEOPLE, pk("session1", "session6")),
    "training:counts": Rule(TRAINING_PEOPLE),
    # THR and face recognition: the centre's worker and helper only; the supervisor answers overrides
    "thr_frs:home": Rule(CENTRE),
    "thr_frs:stock": Rule(NAMES),
    "thr_frs:register": Rule(NAMES),
    "thr_frs:handover": Rule(CENTRE, pk("woman1", "woman6")),
    "thr_frs:enrol": Rule(CENTRE, pk("woman1", "woman6")),
    "thr_frs:match": Rule(CENTRE, pk("husband1", "husband6"), post_only=True),
    "thr_frs:erase": Rule(AWW, pk("husband1", "husband6"), post_only=True),
    "thr_frs:nominees": Rule(CENTRE, pk("woman1", "woman6")),
    "thr_frs:otp_send": Rule(CENTRE, pk("child1", "child6"), post_only=True),
    "thr_frs:otp_verify": Rule(CENTRE, pk("child1", "child6"), post_only=True),
    "thr_frs:override": Rule(CENTRE, pk("husband1", "husband6")),
    "thr_frs:override_handover": Rule(CENTRE, pk("child1", "child6"), post_only=True),
    "thr_frs:check": Rule(CENTRE, pk("face_check1", "face_check6")),
    "thr_frs:check_status": Rule(CENTRE, pk("face_check1", "face_check6")),
    "thr_frs:supervision": Rule(frozenset({"supervisor"})),
    "thr_frs:override_decide": Rule(frozenset({"supervisor"}), pk("override1", "override6"), post_only=True),
    "thr_frs:near_miss_confirm": Rule(frozenset({"supervisor"}), pk("face_check1", "face_check6"), post_only=True),
    "thr_frs:report": Rule(FIGURES),
    "thr_frs:report_area": Rule(FIGURES, pk("awc1", "awc6")),
    "thr_frs:frs": Rule(FIGURES),
    "thr_frs:frs_area": Rule(FIGURES, pk("awc1", "awc6")),
    # growth: names for the centre and the supervisor; counts only for the block and above
    "growth:children": Rule(NAMES),
    "growth:tracker": Rule(NAMES),
    "growth:child": Rule(NAMES, pk("child1", "child6")),
    "growth:measure": Rule(AWW, pk("child1", "child6")),
    "growth:measurement": Rule(NAMES, pk("measurement1", "measurement6")),
    "growth:followups": Rule(FIGURES),
    "growth:followup_resolve": Rule(frozenset({"aww", "supervisor"}), pk("followup1", "followup6"), post_only=True),
    "growth:rising": Rule(FIGURES),
    "growth:runs": Rule(frozenset({"ministry", "admin"})),
    # malnutrition cases: names and steps for the centre and the supervisor; counts, pseudonyms for the block and above
    "growth:cases": Rule(FIGURES),
    "growth:case": Rule(NAMES, pk("case1", "case6")),
    "growth:case_indicators": Rule(FIGURES),
    "growth:case_export": Rule(frozenset({"dpo", "state", "ministry"}), personal=True),
    "growth:case_followup": Rule(frozenset({"aww", "supervisor"}), pk("case1", "case6")),
    "growth:case_step": Rule(frozenset({"aww", "supervisor"}), pk("case1", "case6", step="counselling")),
    # dashboards and exports: figures for every level; an export job only to the user who asked for it
    "dashboards:home": Rule(NOT_HELPLINE),
    "dashboards:place": Rule(NOT_HELPLINE, pk("awc1", "awc6")),
    # state and ministry officials run reports, so they may recount a month (a state official: her state only)
    "dashboards:incentive": Rule(INCENTIVE),
    "dashboards:incentive_place": Rule(INCENTIVE, pk("awc1", "awc6")),
    "dashboards:refresh": Rule(REFRESHERS),
    "dashboards:refresh_run": Rule(REFRESHERS, pk("rollup_run", "rollup_run6", key="run_id")),
    "dashboards:export": Rule(EXPORTERS),
    "dashboards:export_job": Rule(EXPORTERS, lambda w, r: ({"pk": export_for(w, r).pk},
                                                            {"pk": w.export_jobs["state6"].pk})),
    "dashboards:export_download": Rule(EXPORTERS, lambda w, r: ({"pk": export_for(w, r).pk},
                                                                 {"pk": w.export_jobs["state6"].pk})),
    # the paper registers
    "registers:index": Rule(NOT_HELPLINE, redirect_roles=CENTRE),
    "registers:centre": Rule(NOT_HELPLINE, register_kwargs(None)),
    "registers:register": Rule(NOT_HELPLINE, register_kwargs("survey")),
    "registers:pdf": Rule(NOT_HELPLINE, register_kwargs("survey"), personal=True),
    # the supervisor's month: her sector's visits and VHSNDs (she records them); the CDPO reads her project's
    "supervision:sector": Rule(frozenset({"supervisor", "cdpo"})),
    "supervision:centre": Rule(frozenset({"supervisor", "cdpo"}), pk("awc1", "awc6")),
    "supervision:visit_new": Rule(frozenset({"supervisor"}), pk("awc1", "awc6")),
    "supervision:vhsnd_new": Rule(frozenset({"supervisor"}), pk("awc1", "awc6")),
    # Translation corrections: a state official (or an admin) proposes, an admin decides and exports the .po.
    "wording:suggest": Rule(frozenset({"state", "admin"})),
    "wording:review": Rule(frozenset({"admin"})),
    "wording:export": Rule(frozenset({"admin"})),
}


# ---- THE API TABLE: every operation of the OpenAPI schema --------------------------------------------------------
@dataclass(frozen=True)
class Op:
    roles: frozenset[str]
    kwargs: Kwargs | None = None
    public: bool = False
    personal: bool = False


def api_pk(attr_in, attr_out=None):
    return pk(attr_in, attr_out, key="id")


CLAIM_READERS = frozenset({"aww", "supervisor", "cdpo", "dpo", "state", "ministry"})
DEVICE_WRITERS = frozenset({"aww", "supervisor"})
API: dict[tuple[str, str], Op] = {
    ("/api/v1/allowance/claims/", "get"): Op(CLAIM_READERS),
    ("/api/v1/allowance/claims/", "post"): Op(frozenset({"aww", "supervisor", "cdpo"})),
    ("/api/v1/allowance/claims/{id}/", "get"): Op(CLAIM_READERS, api_pk(claim_for, "claim6")),
    ("/api/v1/allowance/claims/{id}/pay/", "post"): Op(frozenset({"state"}), api_pk("claim1", "claim6")),
    ("/api/v1/allowance/claims/{id}/reject/", "post"): Op(frozenset({"state"}), api_pk("claim1", "claim6")),
    ("/api/v1/attendance/", "post"): Op(AWW),
    ("/api/v1/auth/logout/", "post"): Op(ALL),  # ends the caller's own API tokens
    ("/api/v1/auth/token/", "post"): Op(ALL, public=True),
    ("/api/v1/beneficiaries/", "get"): Op(NAMES),
    ("/api/v1/beneficiaries/", "post"): Op(AWW),
    ("/api/v1/beneficiaries/search/", "post"): Op(NAMES),  # a search by number, in the body
    ("/api/v1/beneficiaries/{id}/", "get"): Op(NAMES, api_pk("woman1", "woman6")),
    ("/api/v1/beneficiaries/{id}/", "patch"): Op(AWW, api_pk("woman1", "woman6")),
    ("/api/v1/centre-days/", "post"): Op(AWW),
    ("/api/v1/centre-days/close/", "post"): Op(AWW),
    ("/api/v1/ecce/", "post"): Op(AWW),
    ("/api/v1/equipment/devices/", "get"): Op(NOT_HELPLINE),
    ("/api/v1/equipment/devices/", "post"): Op(DEVICE_WRITERS),
    ("/api/v1/equipment/devices/{id}/", "get"): Op(NOT_HELPLINE, api_pk("device1", "device6")),
    ("/api/v1/equipment/infrastructure/", "get"): Op(NOT_HELPLINE),
    ("/api/v1/equipment/infrastructure/", "post"): Op(DEVICE_WRITERS),
    ("/api/v1/grievances/", "get"): Op(ALL),
    ("/api/v1/grievances/", "post"): Op(ALL),
    ("/api/v1/grievances/{id}/", "get"): Op(ALL, pk(grievance_for, "grievance6", key="id")),
    **{(f"/api/v1/grievances/{{id}}/{action}/", "post"): Op(ALL, pk(grievance_for, "grievance6", key="id"))
       for action in ("assign", "close", "note", "reopen", "resolve", "start")},
    ("/api/v1/growth/children/", "get"): Op(NAMES),
    ("/api/v1/growth/children/{id}/", "get"): Op(NAMES, api_pk("child1", "child6")),
    ("/api/v1/growth/measurements/", "get"): Op(NAMES),
    ("/api/v1/growth/measurements/", "post"): Op(AWW),
    ("/api/v1/growth/measurements/{id}/", "get"): Op(NAMES, api_pk("measurement1", "measurement6")),
    ("/api/v1/growth/cases/", "get"): Op(NAMES),
    ("/api/v1/growth/cases/{id}/", "get"): Op(NAMES, api_pk("case1", "case6")),
    ("/api/v1/growth/cases/{id}/steps/", "post"): Op(frozenset({"aww", "supervisor"}), api_pk("case1", "case6")),
    ("/api/v1/home-visits/", "get"): Op(NAMES, personal=True),  # ids, no names: still about a person
    ("/api/v1/home-visits/", "post"): Op(AWW),
    ("/api/v1/home-visits/{id}/", "get"): Op(NAMES, api_pk("visit1", "visit6"), personal=True),
    ("/api/v1/households/", "get"): Op(NAMES),
    ("/api/v1/households/", "post"): Op(AWW),
    ("/api/v1/households/{id}/", "get"): Op(NAMES, api_pk("household1", "household6")),
    ("/api/v1/locations/", "get"): Op(ALL),
    ("/api/v1/locations/{id}/", "get"): Op(ALL, api_pk("awc1", "awc6")),
    ("/api/v1/me/", "get"): Op(ALL),
    ("/api/v1/pregnancies/", "get"): Op(NAMES, personal=True),
    ("/api/v1/pregnancies/", "post"): Op(AWW),
    ("/api/v1/pregnancies/{id}/", "get"): Op(NAMES, api_pk("pregnancy1", "pregnancy6"), personal=True),
    ("/api/v1/pregnancies/{id}/delivery/", "post"): Op(AWW, api_pk("pregnancy1", "pregnancy6")),
    ("/api/v1/submissions/batch/", "post"): Op(ALL),  # each item is checked by its own handler
    ("/api/v1/supervision/alerts/", "get"): Op(frozenset({"supervisor", "cdpo"})),
    ("/api/v1/supervision/vhsnd/", "post"): Op(frozenset({"supervisor"})),
    ("/api/v1/supervision/visits/", "get"): Op(frozenset({"supervisor", "cdpo"})),
    ("/api/v1/supervision/visits/", "post"): Op(frozenset({"supervisor"})),
    ("/api/v1/thr/distributions/", "get"): Op(NAMES, personal=True),
    ("/api/v1/thr/distributions/{id}/", "get"): Op(NAMES, api_pk("distribution1", "distribution6"), personal=True),
    ("/api/v1/thr/face-checks/", "post"): Op(CENTRE),
    ("/api/v1/thr/face-checks/{id}/", "get"): Op(CENTRE, api_pk("face_check1", "face_check6")),
    ("/api/v1/thr/figures/", "get"): Op(FIGURES),
    ("/api/v1/thr/otp/", "post"): Op(CENTRE),
    ("/api/v1/thr/otp/{id}/verify/", "post"): Op(CENTRE, api_pk("otp1", "otp6")),
    ("/api/v1/thr/overrides/", "get"): Op(NAMES, personal=True),
    ("/api/v1/thr/overrides/", "post"): Op(CENTRE),
    ("/api/v1/thr/overrides/{id}/", "get"): Op(NAMES, api_pk("override1", "override6"), personal=True),
    ("/api/v1/thr/overrides/{id}/decide/", "post"): Op(frozenset({"supervisor"}), api_pk("override1", "override6")),
    ("/api/v1/thr/overrides/{id}/handover/", "post"): Op(CENTRE, api_pk("override1", "override6")),
    ("/api/v1/thr/stock/", "get"): Op(NAMES),
    ("/api/v1/thr/stock/", "post"): Op(AWW),
    ("/api/v1/training/progress/", "get"): Op(NOT_HELPLINE),
    ("/api/v1/training/progress/", "post"): Op(NOT_HELPLINE),
    ("/api/v1/training/videos/", "get"): Op(NOT_HELPLINE),
    ("/api/v1/training/videos/{id}/", "get"): Op(NOT_HELPLINE, api_pk("video", "video_unpublished")),
    ("/api/v1/transfers/", "get"): Op(NAMES),
    ("/api/v1/transfers/", "post"): Op(AWW),
    ("/api/v1/transfers/{id}/", "get"): Op(NAMES, api_pk("transfer1", "transfer6")),
    **{(f"/api/v1/transfers/{{id}}/{action}/", "post"): Op(AWW, api_pk("transfer1", "transfer6"))
       for action in ("accept", "reject", "return")},
    ("/api/v1/transfers/pull/", "post"): Op(AWW),
}
# URL names under /api/ that are not operations of the schema: the router's index and the schema itself.
API_EXTRAS: dict[str, Rule] = {"api-root": Rule(ALL), "api-schema": Rule(ALL)}


# ---- walking the resolver and the schema ---------------------------------------------------------------------
def resolver_names() -> dict[str, tuple[str, object]]:
    """Every named URL pattern, recursively: name → (route, view callback)."""
    found: dict[str, tuple[str, object]] = {}

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = ":".join(filter(None, [namespace, p.name])) if p.name else None
                found.setdefault(name or f"<unnamed {prefix}{p.pattern}>", (prefix + str(p.pattern), p.callback))

    walk(get_resolver().url_patterns, "/", "")
    return found


def is_api(route: str) -> bool:
    return route.startswith("/api/")


def schema_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(path, method) for path, ops in schema["paths"].items() for method in ops
            if method in ("get", "post", "put", "patch", "delete")}


def api_route_as_schema_path(route: str) -> str | None:
    """'/api/v1/^transfers/(?P<pk>[^/.]+)/accept/$' → '/api/v1/transfers/{id}/accept/' (None: a format suffix)."""
    if "(?P<format>" in route or "<drf_format_suffix" in route:
        return None
    path = route.replace("^", "").replace("$", "")
    return re.sub(r"\(\?P<pk>[^)]*\)|<(int:|str:)?pk>", "{id}", path)


def test_every_url_has_a_scoping_rule():
    names = resolver_names()
    site = {name for name, (route, _view) in names.items() if not is_api(route) and not route.startswith("/admin/")}
    missing = sorted(site - set(PAGES))
    assert not missing, (
        f"New URL(s) without an access rule: {missing}. Add each to PAGES in {__file__}: which roles may open it, "
        "and how to build an in-scope and an out-of-scope object for its kwargs (a scoping rule).")
    gone = sorted(set(PAGES) - site)
    assert not gone, f"PAGES names URL(s) that no longer exist: {gone}; remove them from the table."


def test_every_api_operation_has_a_scoping_rule():
    operations = schema_operations()
    missing = sorted(operations - set(API))
    assert not missing, (f"New API operation(s) without an access rule: {missing}. Add each to API in {__file__}.")
    gone = sorted(set(API) - operations)
    assert not gone, f"API names operation(s) that are no longer in the schema: {gone}."
    schema_paths = {path for path, _method in operations}
    for name, (route, _view) in resolver_names().items():
        if not is_api(route) or name in API_EXTRAS:
            continue
        path = api_route_as_schema_path(route)
        assert path is None or path in schema_paths, (
            f"{name} ({route}) is served but not in the OpenAPI schema, so the matrix cannot try it: "
            "document it with drf-spectacular or add a rule to API_EXTRAS.")


# ---- the world, once per module -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once in an outer transaction that is rolled back at the end; each test runs in a savepoint."""
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        with transaction.atomic():
            world = build_world(media)
            yield world
            transaction.set_rollback(True)


@pytest.fixture
def as_role(w, db):
    cache.clear()  # rate limits count per user and minute; each check starts from zero

    def make(role: str) -> Client:
        client = Client()
        if role != ANON:
            client.force_login(w.users[role], backend="django.contrib.auth.backends.ModelBackend")
        if role == CHARGE:  # she has switched to the centre she holds on charge (the in-scope objects' awc1)
            session = client.session
            session["working_awc"] = w.awc1.pk
            session.save()
        return client

    return make


def _accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None) or getattr(getattr(callback, "__wrapped__", None),
                                                                   "view_class", None)
    if view_class is None:
        return False
    return hasattr(view_class, "post") and "post" in getattr(view_class, "http_method_names", ["post"])


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("login")


def _describe(response) -> str:
    location = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{location}"


CALLBACKS = {name: callback for name, (_route, callback) in resolver_names().items()}


@pytest.mark.parametrize("role", [*ROLES, ANON])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page(name, role, w, as_role):
    rule = PAGES[name]
    client = as_role(role)
    in_kwargs, out_kwargs = rule.kwargs(w, role if role != ANON else "aww") if rule.kwargs else ({}, None)
    url = reverse(name, kwargs=in_kwargs)
    method = client.post if rule.post_only else client.get
    allowed = allowed_for(role, rule.roles)

    if role == ANON:
        response = method(url)
        assert response.status_code < 500, f"{name} {url} anonymous: {_describe(response)}"
        if not rule.public:
            assert _is_login_redirect(response), f"{name} {url}: anonymous must be sent to login, got {_describe(response)}"
        elif not rule.post_only:
            assert response.status_code == 200, f"{name} {url} is public: got {_describe(response)}"
        return

    since = _last_audit_id()
    response = method(url)
    label = f"{name} {url} as {role}"
    assert response.status_code < 500, f"{label}: {_describe(response)}"
    redirected = allowed_for(role, rule.redirect_roles)
    if allowed and not rule.post_only and not redirected:
        _assert_read_audited(label, url, rule.personal, response, w.users[role], since)
    if not allowed:
        assert response.status_code in (403, 404), f"{label} must be refused: got {_describe(response)}"
        if _accepts_post(CALLBACKS[name]) and not rule.post_only:
            posted = client.post(url)
            assert posted.status_code in (403, 404), f"POST {label} must be refused: got {_describe(posted)}"
        return
    if rule.post_only:
        pass  # an empty POST: the service may refuse it (400, 403 for a rule of the business); never a 5xx
    elif redirected:
        assert response.status_code == 302, f"{label}: expected a redirect, got {_describe(response)}"
    else:
        assert response.status_code == 200, f"{label}: expected 200, got {_describe(response)}"
    if out_kwargs is not None and _out_of_scope_applies(name, role):
        out_url = reverse(name, kwargs=out_kwargs)
        response = method(out_url)
        missing_url = reverse(name, kwargs={**out_kwargs, **_missing(out_kwargs)})
        _assert_not_found(response, method(missing_url), f"{name} {out_url} as {role}")
        if _accepts_post(CALLBACKS[name]) and not rule.post_only:  # writes fetch from the same scope
            _assert_not_found(client.post(out_url), client.post(missing_url), f"POST {name} {out_url} as {role}")


def personal_values() -> list[str]:
    """What the world seeded about people: a read whose answer holds any of these shows personal data."""
    return [value for suffix in ("1", "6") for value in (
        getattr(SEEDED, f"woman{suffix}"), getattr(SEEDED, f"child{suffix}"), getattr(SEEDED, f"mobile{suffix}"),
        getattr(SEEDED, f"aadhaar{suffix}"), f"Husband {suffix}", f"Head {suffix}")] + ["A caller"]


def _last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""  # a file (video, image, PDF): its rule says whether it is personal
    return response.content.decode("utf-8", "replace")


def _assert_read_audited(label: str, url: str, declared: bool, response, user, since: int) -> None:
    """One audit event for one read of personal data (a list page too: one, not one per row); never a value in it."""
    if response.status_code != 200:
        return
    view = resolve(urlsplit(url).path).func
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    declared = declared or bool(getattr(view_class, "personal_data", False))
    shown = [value for value in personal_values() if value in _body(response)]
    events = list(AuditEvent.objects.filter(id__gt=since, action__in=(AuditEvent.Action.VIEW,
                                                                        AuditEvent.Action.EXPORT)))
    assert len(events) <= 1, f"{label}: one read wrote {len(events)} audit events (one per page, not one per row)"
    if not (shown or declared):
        return
    assert events, (f"{label} shows personal data ({', '.join(shown) or 'declared'}) but wrote no audit event: "
                    f"declare personal_data = True on {getattr(view_class, '__name__', view)}.")
    event = events[0]
    assert event.actor_id == user.pk and event.ip == "127.0.0.1", f"{label}: audit names {event.actor_id}/{event.ip}"
    assert event.object_type and event.object_id, f"{label}: the audit event names no object or list"
    recorded = " ".join([event.object_type, event.object_id, *map(str, event.fields or [])])
    leaked = [value for value in personal_values() if value in recorded]
    assert not leaked, f"{label}: the audit event holds personal values {leaked}"


def _missing(kwargs: dict) -> dict:
    return {key: MISSING_ID for key in ("pk", "id", "run_id") if key in kwargs}


MISSING_ID = 987_654_321


def _assert_not_found(response, missing, label: str) -> None:
    """Outside her area: 404/403, or exactly what a row that does not exist gets (no way to tell them apart)."""
    if response.status_code in (403, 404):
        return
    assert (response.status_code, response.content) == (missing.status_code, missing.content), (
        f"{label}: an object outside her area must look not found, got {_describe(response)} "
        f"(a missing one gets {_describe(missing)})")


def _out_of_scope_applies(name: str, role: str) -> bool:
    """Nation-wide roles see awc6 too, so for them only rows kept per owner (export jobs; for the helpline,
    grievances: only those she recorded) and unpublished videos (out of reach for everyone) are tried."""
    if role not in NATION:
        return True
    per_owner_or_unpublished = name.startswith(("dashboards:export_", "training:video", "training:stream",
                                                "training:poster", "training:watched", "training:quiz",
                                                "/api/v1/training/"))
    helpline_grievance = role == "helpline" and "grievance" in name
    return per_owner_or_unpublished or helpline_grievance


API_CASES = sorted(API)


def _api_call(client, method: str, url: str):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data={}, content_type="application/json")


@pytest.mark.parametrize("role", [*ROLES, ANON])
@pytest.mark.parametrize("path,method", API_CASES)
def test_api(path, method, role, w, as_role):
    op = API[(path, method)]
    client = as_role(role)
    in_kwargs, out_kwargs = op.kwargs(w, role if role != ANON else "aww") if op.kwargs else ({}, None)
    url = path.replace("{id}", str(in_kwargs.get("id", "")))
    since = _last_audit_id()
    response = _api_call(client, method, url)
    label = f"{method.upper()} {url} as {role}"
    assert response.status_code < 500, f"{label}: {_describe(response)}"
    if method == "get" and allowed_for(role, op.roles):
        _assert_read_audited(label, url, op.personal, response, w.users[role], since)
    if role == ANON:
        if not op.public:
            assert response.status_code in (401, 403), f"{label}: must need sign-in, got {_describe(response)}"
        return
    if not allowed_for(role, op.roles):
        assert response.status_code in (403, 404), f"{label} must be refused: got {_describe(response)}"
        return
    if method == "get":
        assert response.status_code == 200, f"{label}: expected 200, got {_describe(response)}"
    # an empty write: the service may refuse it (400, or 403 for a rule of the business); never a 5xx
    if out_kwargs is not None and _out_of_scope_applies(path, role):
        out_url = path.replace("{id}", str(out_kwargs["id"]))
        response = _api_call(client, method, out_url)
        missing = _api_call(client, method, path.replace("{id}", str(MISSING_ID)))
        _assert_not_found(response, missing, f"{method.upper()} {out_url} as {role}")


@pytest.mark.parametrize("name", sorted(API_EXTRAS))
@pytest.mark.parametrize("role", [*ROLES, ANON])
def test_api_extras(name, role, as_role):
    response = as_role(role).get(reverse(name))
    if role == ANON:
        assert response.status_code in (401, 403), f"{name} anonymous: {_describe(response)}"
    else:
        assert response.status_code == 200, f"{name} as {role}: {_describe(response)}"


def admin_urls() -> list[str]:
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return sorted(urls)


@pytest.mark.parametrize("role", [*ROLES, ANON])
def test_admin_is_for_staff_only(role, as_role):
    """/admin/: the admin role (is_staff) gets in (403 where her role holds no view permission); nobody else does."""
    client = as_role(role)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code < 500, f"{url} as {role}: {_describe(response)}"
        if role == "admin":
            assert response.status_code in (200, 403), f"{url} as admin: {_describe(response)}"
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (
                f"{url} as {role} must send to the admin login: {_describe(response)}")
