"""Turning a service's ValidationError into messages next to the right form fields."""
from django.core.exceptions import ValidationError


def apply_errors(form, error: ValidationError, *, field_map: dict[str, str] | None = None) -> None:
    """Attach each message to its field (renamed through field_map) or, if the form has none, to the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields else None, messages)
