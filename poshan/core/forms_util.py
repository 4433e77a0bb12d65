"""What every form shares: a service's ValidationError shown next to the right fields, the one date widget, and the
fields of an entry made offline (its date, why it is late, its client id)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Self

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .params import DayField


def apply_errors(form, error: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Attach each message to its field (renamed through field_map) or, if the form has none, to the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, messages_)


class ServiceCall:
    """`with service_errors(form) as call: services.x(...)`, then `if call.ok:` redirect.

    A ValidationError raised inside the block is reported (on the form, or as a message) instead of propagating;
    any other exception goes on. `ok` is true only when the block ran to its end."""

    def __init__(self, report: Callable[[ValidationError], None]):
        self._report = report
        self.ok = False
        self.error: ValidationError | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, error, _traceback) -> bool:
        if kind is None:
            self.ok = True
            return False
        if issubclass(kind, ValidationError):
            self.error = error
            self._report(error)
            return True
        return False


def service_errors(form, *, field_map: dict[str, str] | None = None) -> ServiceCall:
    """A service's refusal shown on the form: each message by its field (renamed through field_map), others on top."""
    return ServiceCall(lambda error: apply_errors(form, error, field_map=field_map))


def service_errors_as_message(request) -> ServiceCall:
    """A service's refusal shown as one error message on the next page (for buttons without a form to show)."""
    return ServiceCall(lambda error: messages.error(request, " ".join(error.messages)))


class DateInput(forms.DateInput):
    """The one date widget: the phone's date picker, given and sent in ISO form whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # Django's own argument name
        super().__init__(attrs=attrs, format=format)


def client_id_field() -> forms.UUIDField:
    """The hidden client id of a form an offline phone may send twice: the second sending is the first again
    (filled by static/js/submission-id.js; `poshan.core.idempotency.create_once` keeps it exactly-once)."""
    return forms.UUIDField(required=False, widget=forms.HiddenInput)


class ClientIdForm(forms.Form):
    client_uuid = client_id_field()


class OfflineEntryForm(forms.Form):
    """A daily entry: its day (today, or a few days back with the reason: `poshan.core.dates.check_service_date`)
    and its client id. A subclass names its date (`date_label`) and may put its own fields before the reason
    (`field_order`)."""

    date_label = _("Date")

    date = DayField(widget=DateInput)
    backdate_reason = forms.CharField(label=_("Why entered late (only for past days)"), max_length=200,
                                      required=False)
    client_uuid = client_id_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = self.date_label
