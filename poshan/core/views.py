import functools

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .audit import audit_record, page_reference, personal_read_audit
from .forms import AuditFilterForm
from .languages import languages_for_state, login_state, remember_state
from .models import AuditEvent
from .scoping import RoleRequiredMixin
from .selectors import audit_events
from .services import user_language_set
from .tokens import api_tokens_revoke

AUDIT_PAGE_SIZE = 50
DEFAULT_TILE_ORDER = 50


def home_tiles(user) -> list[dict]:
    """What this user can do, gathered from each app's `home_tiles` (url name, label, permission): a tile is offered
    only when its page would open for the user (its view's `admits`, poshan.core.scoping), so a superuser holding
    every permission is not sent to a centre worker's form that answers 403."""
    tiles = []
    for config in apps.get_app_configs():
        for tile in getattr(config, "home_tiles", ()):
            perm = tile.get("permission")
            roles = tile.get("roles")
            if perm and not user.has_perm(perm):
                continue
            if roles and user.role not in roles:
                continue
            url = reverse(tile["url"])
            admits = getattr(_view_class(tile["url"]), "admits", None)
            if admits is not None and not admits(user):
                continue
            tiles.append({"url": url, "label": tile["label"], "hint": tile.get("hint", ""),
                          "order": tile.get("order", DEFAULT_TILE_ORDER)})
    return sorted(tiles, key=lambda t: t["order"])  # the day's work first (stable: app order otherwise)


@functools.cache
def _view_class(url_name: str):
    """The class of the view a URL name leads to (None for a function view), looked up once per process: resolving
    walks the URL patterns (~0.2 ms a tile)."""
    return getattr(resolve(reverse(url_name)).func, "view_class", None)


def home_panels(user) -> list[dict]:
    """Short notices for the home page from each app's `home_panels(user)`: dicts with a template and its context
    ("personal": True when the notice names people, so the page's read is audited)."""
    panels = []
    for config in apps.get_app_configs():
        make = getattr(config, "home_panels", None)
        if callable(make):
            panels.extend(make(user))
    return panels


@login_required
def home(request):
    panels = home_panels(request.user)
    if any(panel.get("personal") for panel in panels):  # a panel naming people: the page's read is audited
        personal_read_audit(request, object_type="page", object_id=page_reference(request))
    return render(request, "home.html", {"tiles": home_tiles(request.user), "panels": panels})


def _remember_language(response, language: str) -> None:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)


# The language tapped on the sign-in page, kept in the (anonymous) session until the user signs in: it wins over
# the language the profile remembered, and becomes the profile's language.
LOGIN_LANGUAGE_SESSION_KEY = "login_language"


@require_POST
def choose_language(request):
    """The sign-in page's language buttons: Django's set_language, remembering that the choice was made here."""
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        request.session[LOGIN_LANGUAGE_SESSION_KEY] = language
    return set_language(request)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    # Failed sign-ins are slowed per address and locked per username and address in authenticate(), for every
    # door that takes a password (poshan/core/signin.py).

    def get_context_data(self, **kwargs):
        # Each language's name in its own script (Django's {% get_available_languages %} translates them), the
        # languages of the phone's (or the link's) state first: poshan/core/languages.py.
        languages = languages_for_state(login_state(self.request))
        return {**super().get_context_data(**kwargs), "languages": languages}

    def form_valid(self, form):
        response = super().form_valid(form)  # signing in keeps the session's data (a new key, same contents)
        user = self.request.user
        chosen = self.request.session.pop(LOGIN_LANGUAGE_SESSION_KEY, None)
        if chosen:
            user_language_set(user=user, language=chosen)
        if user.preferred_language:
            _remember_language(response, user.preferred_language)
        remember_state(response, user)
        audit_record(actor=user, action=AuditEvent.Action.LOGIN, obj=user)
        return response


class ProfileForm(forms.Form):
    preferred_language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


@login_required
def profile(request):
    """The user's own settings: for now, the language the portal speaks to her."""
    form = ProfileForm(request.POST or None, initial={"preferred_language": request.user.preferred_language
                                                      or translation.get_language()})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        user_language_set(user=request.user, language=language)
        translation.activate(language)
        messages.success(request, _("Saved: the portal now speaks your language."))
        response = redirect("profile")
        _remember_language(response, language)
        return response
    return render(request, "core/profile.html", {"form": form})


@require_POST
def logout_view(request):
    """Sign out and tell the browser to drop its caches and storage (shared phones)."""
    if request.user.is_authenticated:
        api_tokens_revoke(user=request.user, actor=request.user)  # the phone's API tokens end with the session
        audit_record(actor=request.user, action=AuditEvent.Action.LOGOUT, obj=request.user)
    logout(request)
    messages.info(request, _("You have signed out. Nothing of this session is kept on this phone."))
    response = redirect("login")
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


class AuditListView(RoleRequiredMixin, auth_views.TemplateView):
    template_name = "core/audit_list.html"
    required_permissions = ("core.view_auditevent",)

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page = Paginator(audit_events(user=self.request.user, filters=filters), AUDIT_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "form": form, "page": page, "query": query.urlencode()}
