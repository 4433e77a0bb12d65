"""Logging helpers named in settings.LOGGING."""
from __future__ import annotations

import logging


class RefusalInOneLine(logging.Filter):
    """A refused request (403) is logged by django.request as one line, without the PermissionDenied traceback.

    A refusal is an expected answer (a role opening a page it may not), not a fault: the line
    ("Forbidden (Permission denied): /centre/today/") says all there is to say. Errors (5xx) keep
    their tracebacks.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
