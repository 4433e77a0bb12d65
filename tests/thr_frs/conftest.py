"""THR fixtures: a family at awc1 (pregnant woman, her child, her husband), stock, real sample photos."""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from beneficiaries.models import Beneficiary
from beneficiaries.services import (ConsentInput, EnrolAs, HouseholdInput, PersonInput, beneficiary_register,
                                    household_register)
from poshan.core import sms
from thr_frs import photostore
from thr_frs.services import face_enrol_request, stock_receive

FACES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"
ALL_PURPOSES = ("services", "face", "sms")
MOBILE = "9876543210"


def photo(name: str) -> bytes:
    return (FACES / name).read_bytes()


def blank_photo() -> bytes:
    """A plain 640×480 JPEG: no face in it."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 160)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def twelve_megapixel_photo(name: str = "obama_2.jpg") -> bytes:
    """The sample portrait on a 4000×3000 canvas: a real phone-sized photo, well above 2.5 MB."""
    with Image.open(FACES / name) as image:
        portrait = image.convert("RGB")
    scaled = portrait.resize((round(portrait.width * 3000 / portrait.height), 3000))
    canvas = Image.effect_noise((4000, 3000), 24).convert("RGB")  # sensor-like noise: a phone photo's size
    canvas.paste(scaled, ((4000 - scaled.width) // 2, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fresh_limits_and_outbox():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def register(actor, household, name, *, sex="F", dob=None, age=None, enrol_as=EnrolAs.MEMBER, lmp=None,
             delivery_date=None, purposes=ALL_PURPOSES) -> Beneficiary:
    return beneficiary_register(
        actor=actor, household=household,
        person=PersonInput(name=name, sex=sex, dob=dob, age_years=age, enrol_as=enrol_as, lmp=lmp,
                           delivery_date=delivery_date),
        consent=ConsentInput(given_by=name, purposes=purposes) if purposes else None,
    )


@pytest.fixture
def family(world, users):
    """At awc1: Sita (pregnant), her husband Ram, their son Mohan (14 months, Sita's child), a baby (2 months)."""
    today = timezone.localdate()
    aww = users.aww
    household = household_register(actor=aww, awc=world.awc1, data=HouseholdInput(head_name="Ram", mobile=MOBILE),
                                   consent=ConsentInput(given_by="Ram", purposes=ALL_PURPOSES))
    sita = register(aww, household, "Sita", age=26, enrol_as=EnrolAs.PREGNANT, lmp=today - timedelta(days=70))
    ram = register(aww, household, "Ram", sex="M", age=30)
    mohan = register(aww, household, "Mohan", sex="M", dob=today - timedelta(days=430), enrol_as=EnrolAs.CHILD)
    Beneficiary.objects.filter(pk=mohan.pk).update(mother=sita)
    mohan.refresh_from_db()
    baby = register(aww, household, "Baby", dob=today - timedelta(days=60), enrol_as=EnrolAs.CHILD)
    return SimpleNamespace(household=household, sita=sita, ram=ram, mohan=mohan, baby=baby)


@pytest.fixture
def other_family(world, users, make_user):
    """A pregnant woman at awc2 (same sector, another centre) and that centre's worker."""
    today = timezone.localdate()
    aww2 = make_user("aww", world.awc2)
    household = household_register(actor=aww2, awc=world.awc2, data=HouseholdInput(head_name="Gita"),
                                   consent=ConsentInput(given_by="Gita", purposes=ALL_PURPOSES))
    gita = register(aww2, household, "Gita", age=24, enrol_as=EnrolAs.PREGNANT, lmp=today - timedelta(days=90))
    return SimpleNamespace(household=household, gita=gita, aww=aww2)


@pytest.fixture
def stock(world, users):
    return stock_receive(actor=users.aww, awc=world.awc1, received_on=timezone.localdate(), packets=100)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a call and then its on-commit callbacks (the face task runs there, eagerly)."""
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def enrol(users, on_commit):
    """Enrol `person`'s face for `beneficiary` from a sample photo (eager task); returns the check."""
    def run(beneficiary, name="obama_1.jpg", *, person=None, relation="mother", as_nominee=False):
        check = on_commit(face_enrol_request, actor=users.aww, beneficiary=beneficiary, photo=photo(name),
                          person=person, relation=relation, as_nominee=as_nominee)
        check.refresh_from_db()
        return check

    return run


@pytest.fixture
def no_photos_left():
    """Assert after a test step that no photo waits in the store (Redis or process memory)."""
    def check():
        assert photostore.waiting_keys() == []

    return check
