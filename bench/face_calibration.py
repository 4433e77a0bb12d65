"""The face-match tolerance's evidence: genuine and impostor distances of degraded probes.

Run from the repository root: ``.venv/bin/python bench/face_calibration.py``
(tests/thr_frs/test_calibration.py asserts the goal on the same probes, built the same way).

Protocol (no Django; thr_frs.faces and bench/face_degradations.py only):
- the photos: every sample photo in tests/fixtures/faces, the two faces of two_people.jpg cropped
  apart, and (here only, never in the tests or the repository) ../shared/fixtures/faces/kit_1.jpg,
  whose licence is unknown, as a third person;
- a *shot* is one sitting: obama_small is a crop of obama_1, and two_people's Biden is the biden_1
  portrait (distance 0.10), so each pair counts as one shot;
- every photo is shrunk to 640 px (what the phone sends) and degraded six ways (dark, backlight,
  low_res, motion_blur, tilt, small_face);
- genuine: each degraded probe against the person's enrolment built from the *other* shots only
  (the probe's own sitting is never enrolled: the person is "unseen" in that light and pose);
- impostor: each degraded probe against every other person's enrolment (all their shots, at most 3);
- before: one enrolled photo per person, each pair counted; after: a gallery of 2-3 photos,
  matched against the nearest.
"""
from __future__ import annotations

import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script, import the app package

from bench import face_degradations as degrade  # noqa: E402
from thr_frs import faces  # noqa: E402

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "faces"
UNLICENSED_PHOTO = REPO_ROOT.parent / "shared" / "fixtures" / "faces" / "kit_1.jpg"
GALLERY_SIZE = 3
# The crop around each face of two_people.jpg, in face widths: room for the head and shoulders.
CROP_SIDE, CROP_ABOVE, CROP_BELOW = 1.2, 1.0, 1.8


@dataclass(frozen=True)
class Photo:
    name: str
    person: str
    shot: str
    image: Image.Image  # the upload: upright RGB, longest side 640 px
    enrol: bool = True  # False: a probe only (a crop of another photo of the same shot)


@dataclass
class Distances:
    genuine: list[tuple[float, str, str]] = field(default_factory=list)  # (distance, photo, degradation)
    impostor: list[tuple[float, str, str, str]] = field(default_factory=list)  # (..., enrolled person)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (photo, degradation, error)

    def accepted(self, tolerance: float) -> float:
        values = [d for d, *_ in self.genuine]
        return sum(d <= tolerance for d in values) / (len(values) + len(self.genuine_failed))

    @property
    def genuine_failed(self) -> list[tuple[str, str, str]]:
        return [f for f in self.failed if f[0] != "kit_1"]

    def false_accepts(self, tolerance: float) -> int:
        return sum(d <= tolerance for d, *_ in self.impostor)

    def closest_impostor(self) -> float:
        return min(d for d, *_ in self.impostor)


def _open(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def _two_people_crops() -> list[Image.Image]:
    """The two faces of two_people.jpg, each cropped with its head and shoulders, left to right."""
    full = _open(FIXTURES / "two_people.jpg")
    upload = degrade.upload_photo(full)
    scale = full.width / upload.width
    crops = []
    for left, top, right, bottom in faces.face_boxes(degrade.jpeg(upload)):
        width = right - left
        box = (max(0, round((left - CROP_SIDE * width) * scale)), max(0, round((top - CROP_ABOVE * width) * scale)),
               min(full.width, round((right + CROP_SIDE * width) * scale)),
               min(full.height, round((bottom + CROP_BELOW * width) * scale)))
        crops.append(full.crop(box))
    return crops


def sample_photos(*, include_unlicensed: bool = False) -> list[Photo]:
    """Every photo the repository may use (and, for local runs only, the unlicensed third person)."""
    obama_crop, biden_crop = _two_people_crops()  # left to right: person A, then person B
    photos = [
        Photo("obama_1", "A", "a1", degrade.upload_photo(_open(FIXTURES / "obama_1.jpg"))),
        Photo("obama_small", "A", "a1", degrade.upload_photo(_open(FIXTURES / "obama_small.jpg")), enrol=False),
        Photo("obama_2", "A", "a2", degrade.upload_photo(_open(FIXTURES / "obama_2.jpg"))),
        Photo("two_people_left", "A", "a3", degrade.upload_photo(obama_crop)),
        Photo("biden_1", "B", "b1", degrade.upload_photo(_open(FIXTURES / "biden_1.jpg"))),
        Photo("two_people_right", "B", "b1", degrade.upload_photo(biden_crop)),
        Photo("biden_2", "B", "b2", degrade.upload_photo(_open(FIXTURES / "biden_2.jpg"))),
    ]
    if include_unlicensed and UNLICENSED_PHOTO.exists():
        photos.append(Photo("kit_1", "C", "c1", degrade.upload_photo(_open(UNLICENSED_PHOTO))))
    return photos


@dataclass
class Encoded:
    photos: list[Photo]
    clean: dict[str, faces.FaceReading]
    probes: dict[tuple[str, str], faces.FaceEncoding | str]  # an encoding, or the error's name


def encode_all(photos: Iterable[Photo]) -> Encoded:
    photos = list(photos)
    clean = {p.name: faces.read_face(degrade.jpeg(p.image)) for p in photos}
    probes: dict[tuple[str, str], faces.FaceEncoding | str] = {}
    for seed, photo in enumerate(photos):
        left, _top, right, _bottom = clean[photo.name].box
        for name, data in degrade.degraded_probes(photo.image, face_width=right - left, seed=seed).items():
            try:
                probes[(photo.name, name)] = faces.encode_face(data)
            except faces.FaceError as error:
                probes[(photo.name, name)] = type(error).__name__
    return Encoded(photos, clean, probes)


def _gallery(encoded: Encoded, person: str, *, without_shot: str = "") -> list[np.ndarray]:
    return [encoded.clean[p.name].encoding for p in encoded.photos
            if p.person == person and p.enrol and p.shot != without_shot][:GALLERY_SIZE]


def measure(encoded: Encoded, *, gallery: bool) -> Distances:
    """gallery=False: one enrolled photo (every enrolled photo counted as a pair); True: nearest of 2-3."""
    people = sorted({p.person for p in encoded.photos})
    result = Distances()
    for photo in encoded.photos:
        for name in degrade.DEGRADATIONS:
            probe = encoded.probes[(photo.name, name)]
            if isinstance(probe, str):
                result.failed.append((photo.name, name, probe))
                continue
            own = _gallery(encoded, photo.person, without_shot=photo.shot)
            if own:
                distances = [faces.face_distance(e, probe) for e in own]
                for distance in ([min(distances)] if gallery else distances):
                    result.genuine.append((distance, photo.name, name))
            for other in people:
                if other == photo.person:
                    continue
                distances = [faces.face_distance(e, probe) for e in _gallery(encoded, other)]
                for distance in ([min(distances)] if gallery else distances):
                    result.impostor.append((distance, photo.name, name, other))
    return result


def clean_pairs(encoded: Encoded) -> tuple[list[float], list[float]]:
    """(same person, different shots; different people) distances of the undegraded photos."""
    same, different = [], []
    photos = encoded.photos
    for i, first in enumerate(photos):
        for second in photos[i + 1:]:
            distance = faces.face_distance(encoded.clean[first.name].encoding, encoded.clean[second.name].encoding)
            if first.person != second.person:
                different.append(distance)
            elif first.shot != second.shot:
                same.append(distance)
    return same, different


def _summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (f"n={len(values)}  min {values[0]:.3f}  median {statistics.median(values):.3f}  "
            f"p95 {p95:.3f}  max {values[-1]:.3f}")


def report(distances: Distances, tolerance: float, label: str) -> None:
    genuine = [d for d, *_ in distances.genuine]
    print(f"{label}")
    print(f"  genuine  {_summary(genuine)}")
    print(f"  impostor {_summary([d for d, *_ in distances.impostor])}")
    worst = sorted(distances.genuine)[-3:]
    print("  worst genuine: " + ", ".join(f"{d:.3f} ({p}, {n})" for d, p, n in worst))
    closest = sorted(distances.impostor)[:3]
    print("  closest impostors: " + ", ".join(f"{d:.3f} ({p}, {n} vs {o})" for d, p, n, o in closest))
    if distances.failed:
        print("  no usable face: " + ", ".join(f"{p}/{n}: {e}" for p, n, e in distances.failed))
    print(f"  at tolerance {tolerance:.2f}: genuine accepted {distances.accepted(tolerance):.1%}, "
          f"false accepts {distances.false_accepts(tolerance)}, closest impostor "
          f"{distances.closest_impostor() - tolerance:+.3f} above it")


def _portal_tolerance() -> float:
    import os

    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")
    django.setup()
    return float(settings.FRS_TOLERANCE)


def encode_as_before(photos: list[Photo]) -> Encoded:
    """The encodings as the matcher made them before dark photos were brightened (DARK_MEAN off)."""
    dark_mean = faces.DARK_MEAN
    faces.DARK_MEAN = 0
    try:
        return encode_all(photos)
    finally:
        faces.DARK_MEAN = dark_mean


def main() -> None:
    photos = sample_photos(include_unlicensed=True)
    if not any(p.name == "kit_1" for p in photos):
        print(f"(without the third person: {UNLICENSED_PHOTO} not found)")
    encoded = encode_all(photos)
    same, different = clean_pairs(encoded)
    print(f"clean photos: same person (different shots) {_summary(same)}")
    print(f"              different people              {_summary(different)}")
    print()
    tolerance = _portal_tolerance()
    report(measure(encode_as_before(photos), gallery=False), 0.5,
           "before: one enrolled photo, no brightening of dark photos, tolerance 0.50")
    print()
    after = measure(encoded, gallery=True)
    report(after, tolerance, f"after: gallery of the other sittings (1-3 photos, nearest), dark photos brightened, "
                             f"FRS_TOLERANCE {tolerance:.2f}")
    for threshold in (0.50, 0.52, 0.54, 0.56, 0.58, 0.60, 0.62):
        print(f"  tolerance {threshold:.2f}: genuine {after.accepted(threshold):.1%}, "
              f"impostor margin {after.closest_impostor() - threshold:+.3f}")


if __name__ == "__main__":
    main()
