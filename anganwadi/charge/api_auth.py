"""The API's token sign-in, and the centre a worker holding additional charge works through it.

A page keeps the centre chosen with the switch in the session (middleware.py); a token client names it on each
request in the header WORKING_CENTRE_HEADER (the centre's id). It must be her own centre or one she holds today
(anganwadi.selectors.working_centres, the one access function): anything else is refused (403), never quietly
replaced by her own centre. A write to a held centre is audited as the charge's use (services.centre_choose), as
the page's switch is. Without the header, the API works her own centre, as before.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions

from poshan.core.params import parse_id
from poshan.core.token_auth import TokenAuthentication

from ..selectors import user_area, working_centres
from . import services

WORKING_CENTRE_HEADER = "X-Working-Centre"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def choose_centre(request, user) -> None:
    """Set the centre the request works from its header (nothing when absent); 400 or 403 when it may not."""
    raw = request.headers.get(WORKING_CENTRE_HEADER)
    if raw is None:
        return
    awc_id = parse_id(raw.strip())
    if awc_id is None:
        raise exceptions.ParseError(_("“%(name)s” must be a number.") % {"name": WORKING_CENTRE_HEADER})
    held = {centre.pk for centre in working_centres(user)}
    if awc_id not in held:
        raise exceptions.PermissionDenied(_("You do not hold this centre today."))
    if request.method not in SAFE_METHODS and awc_id != user_area(user).location.pk:
        try:
            with transaction.atomic():
                services.centre_choose(actor=user, awc_id=awc_id)
        except ValidationError as error:  # the charge was revoked a moment ago
            raise exceptions.PermissionDenied(_("You do not hold this centre today.")) from error
    user.working_awc_id = awc_id


class WorkingCentreTokenAuthentication(TokenAuthentication):
    """knox's token ("Authorization: Token <token>"), then the centre named by WORKING_CENTRE_HEADER."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            choose_centre(request, found[0])
        return found


class WorkingCentreTokenScheme(OpenApiAuthenticationExtension):
    target_class = WorkingCentreTokenAuthentication
    name = "knoxApiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
