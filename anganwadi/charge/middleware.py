"""The centre a worker holding additional charge chose to work, from her session onto her user object, where
anganwadi.selectors.user_awc reads it (and checks she still holds it today). Nothing happens for everyone else."""
from __future__ import annotations

SESSION_KEY = "working_awc"


class WorkingCentreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            chosen = session[SESSION_KEY]
            user = request.user
            if user.is_authenticated and isinstance(chosen, int):
                user.working_awc_id = chosen
        return self.get_response(request)
