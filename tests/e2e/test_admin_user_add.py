"""An administrator adds a supervisor in the Django admin: username, password, role and sector on one
page (the sector picked by typing its name), one Save, and the new user can work."""
import pytest
from playwright.sync_api import expect

from anganwadi.models import StaffAssignment
from poshan.core.models import User

from .steps import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Kh3ti-badi-2026!"


def test_admin_adds_a_supervisor_with_role_and_sector_in_one_save(live_server, page, shots, world, users):
    page.set_viewport_size({"width": 1280, "height": 800})  # the admin works on a laptop
    sign_in(page, live_server.url, users.admin)
    page.goto(f"{live_server.url}/admin/core/user/add/")
    page.fill("#id_username", "new_supervisor")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_role", "supervisor")
    page.click(".field-location .select2-selection")  # the location box: type a name, pick the place
    page.fill(".select2-search__field", world.sector1.name)
    page.click(f".select2-results__option:has-text('{world.sector1.name}')")
    shots("filled")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_be_visible()
    shots("saved")
    user = User.objects.get(username="new_supervisor")
    assert user.role == "supervisor" and user.check_password(PASSWORD)
    assert StaffAssignment.objects.get(user=user).location == world.sector1
