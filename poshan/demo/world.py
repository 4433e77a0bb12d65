"""The demo world: a small, realistic state for newcomers, and a large one for benchmarks."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from anganwadi.models import Location
from anganwadi.services import location_upsert, staff_create
from growth.tasks import run_nightly
from poshan.core.models import User
from poshan.core.roles import Level, Role
from poshan.dashboards.rollups.refresh import refresh_month
from poshan.dashboards.selectors import add_months

from . import people
from .scale_services import build_service_facts

DEMO_PASSWORD = "poshan-demo-2026"
STATE = (23, "Madhya Pradesh")
DISTRICTS = [(23419, "Bhopal"), (23428, "Vidisha")]
PROJECTS_PER_DISTRICT = 2
SECTORS_PER_PROJECT = 2
AWCS_PER_SECTOR = 5
HAMLETS = ["Ward", "Basti", "Tola", "Nagar", "Gaon"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    place: str


def _demo_users(first_awc: Location) -> list[tuple[str, str, Location | None, str]]:
    return [
        ("aww_demo", Role.AWW, first_awc, "Sunita Devi"),
        ("awh_demo", Role.AWH, first_awc, "Kamla Bai"),
        ("supervisor_demo", Role.SUPERVISOR, first_awc.sector, "Rekha Sharma"),
        ("cdpo_demo", Role.CDPO, first_awc.project, "Anil Verma"),
        ("dpo_demo", Role.DPO, first_awc.district, "Meena Joshi"),
        ("state_demo", Role.STATE, first_awc.state, "Rajesh Gupta"),
        ("ministry_demo", Role.MINISTRY, None, "Priya Nair"),
        ("helpline_demo", Role.HELPLINE, None, "Farah Khan"),
        ("admin_demo", Role.ADMIN, None, "Admin User"),
    ]


@transaction.atomic
def build_locations() -> list[Location]:
    """1 state → 2 districts → 4 projects → 8 sectors → 40 AWCs; returns the AWCs."""
    state, _ = location_upsert(actor=None, level=Level.STATE, code=STATE[0], name=STATE[1], parent=None)
    awcs = []
    for d_code, d_name in DISTRICTS:
        district, _ = location_upsert(actor=None, level=Level.DISTRICT, code=d_code, name=d_name, parent=state)
        for p in range(1, PROJECTS_PER_DISTRICT + 1):
            project, _ = location_upsert(actor=None, level=Level.PROJECT, code=d_code * 10 + p,
                                         name=f"{d_name} {'Urban' if p == 1 else 'Rural'}", parent=district)
            for s in range(1, SECTORS_PER_PROJECT + 1):
                sector, _ = location_upsert(actor=None, level=Level.SECTOR, code=project.code * 10 + s,
                                            name=f"{project.name} Sector {s}", parent=project)
                for a in range(1, AWCS_PER_SECTOR + 1):
                    awc, _ = location_upsert(
                        actor=None, level=Level.AWC, code=sector.code * 100 + a,
                        name=f"{d_name} {HAMLETS[(a - 1) % len(HAMLETS)]} {s}{a}", parent=sector,
                        is_aspirational=d_code == DISTRICTS[1][0],
                    )
                    awcs.append(awc)
    return awcs


@transaction.atomic
def build_users(awcs: list[Location]) -> list[DemoLogin]:
    logins = []
    for username, role, location, full_name in _demo_users(awcs[0]):
        first, last = full_name.split(" ", 1)
        user = staff_create(actor=None, username=username, password=DEMO_PASSWORD, role=role,
                            location=location, first_name=first, last_name=last)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        logins.append(DemoLogin(username, Role(role).label, str(location or "India")))
    return logins


def build_training() -> None:
    """Demo training videos (generated, nothing downloaded) and a cascade session, once the users exist."""
    from training.demo import build_demo_session, build_demo_videos

    build_demo_videos()
    supervisor = User.objects.filter(username="supervisor_demo").first()
    if supervisor is not None:
        build_demo_session(recorder=supervisor, workers=list(User.objects.filter(username="aww_demo")))


def build_grievances() -> None:
    """A few grievances: lodged from the app, on behalf, by phone; one resolved, one escalated."""
    from grievances.demo import build_demo_grievances

    build_demo_grievances()


def build_growth(awcs: list[Location]) -> None:
    """Six months of measurements for the demo children (some stunted, wasted, SAM), once people exist."""
    from growth.demo import seed_demo_world

    seed_demo_world(awcs)


def demo_logins() -> list[DemoLogin]:
    users = User.objects.filter(username__endswith="_demo").select_related("assignment__location")
    return [
        DemoLogin(u.username, u.get_role_display(), str(getattr(getattr(u, "assignment", None), "location", None) or "India"))
        for u in users.order_by("id")
    ]


def world_exists() -> bool:
    return Location.objects.filter(level=Level.STATE, code=STATE[0]).exists()


DEMO_DASHBOARD_MONTHS = people.HISTORY_MONTHS
DEMO_SERVICE_MONTHS = DEMO_DASHBOARD_MONTHS  # complete previous months: the trends compare real months


def build_services_and_figures(awcs: list[Location]) -> None:
    """Recent centre days and attendance, tonight's flagging run, and six months of dashboard figures."""
    build_service_facts([a.pk for a in awcs], months=DEMO_SERVICE_MONTHS)
    today = timezone.localdate()
    run_nightly(today.isoformat())  # follow-up list; its hook refreshes this month's dashboard figures
    for back in range(1, DEMO_DASHBOARD_MONTHS):
        refresh_month(add_months(today.replace(day=1), -back), trigger="demo", today=today)
