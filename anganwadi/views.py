from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views import View

from poshan.core.audit import audit_view
from poshan.core.scoping import RoleRequiredMixin

from . import selectors

STAFF_PAGE_SIZE = 50


class AreaView(RoleRequiredMixin, View):
    """A location and the locations directly below it, inside the user's area only."""

    required_permissions = ("anganwadi.view_location",)

    def get(self, request, pk: int | None = None):
        area = selectors.user_area(request.user)
        if pk is None:
            location = area.location if area else None
            if area is None:
                return render(request, "anganwadi/area.html", {"location": None, "children": [], "no_area": True})
        else:
            location = get_object_or_404(selectors.locations_visible_to(request.user), pk=pk)
        children = selectors.location_children(location).order_by("name")
        ancestors = selectors.visible_ancestors(request.user, location)
        return render(
            request, "anganwadi/area.html", {"location": location, "children": children, "ancestors": ancestors}
        )


class StaffInAreaView(RoleRequiredMixin, View):
    """Users in my area, for district and state officials (and the ministry, admins)."""

    required_permissions = ("core.view_staff_in_area",)

    def get(self, request):
        users = selectors.staff_in_area(request.user)
        role = request.GET.get("role")
        if role:
            users = users.filter(role=role)
        page = Paginator(users, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
        audit_view(request, object_type="core.user", object_id=f"list:page{page.number}")
        return render(request, "anganwadi/staff_list.html", {"page": page, "role": role})
