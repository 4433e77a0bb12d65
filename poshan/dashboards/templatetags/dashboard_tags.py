from django import template

register = template.Library()


@register.filter
def dashboard_value(place, key: str):
    """A place's value of one indicator (templates cannot call methods with arguments)."""
    return place.value(key)
