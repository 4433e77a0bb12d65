"""{% for field in form|fields_named:"name sex dob" %}: a form's bound fields in the order named, so a page lays
out a fieldset by naming its fields once, each drawn by the same templates/field.html."""
from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def fields_named(form: forms.BaseForm, names: str) -> list[forms.BoundField]:
    """The bound fields ``names`` (separated by spaces) of ``form``; a name the form lacks raises KeyError."""
    return [form[name] for name in names.split()]
