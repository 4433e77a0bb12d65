"""A person's enrolled face as a small gallery: 2-3 photos at enrolment, matched against the nearest.

The encodings sit one after the other in FaceEnrolment.encoding (encrypted); FaceEnrolment.photos counts them.
An enrolment made of one photo before galleries existed is a gallery of one. bench/face_calibration.py measured
why: on degraded probes the nearest of 2-3 enrolled photos accepted 88 % at 0.5 where one photo accepted 78 %.
"""
from __future__ import annotations

import numpy as np

from ..models import FaceEnrolment

ENCODING_DTYPE = "<f8"
ENCODING_SIZE = 128
# Photos taken at enrolment (the first makes the enrolment, each next one must match it).
ENROL_PHOTOS = 3
# Never more than this many templates (later photos confirmed by OTP or the supervisor replace the oldest).
MAX_PHOTOS = 5


def encoding_to_bytes(encoding) -> bytes:
    return np.asarray(encoding, dtype=ENCODING_DTYPE).tobytes()


def gallery_from_bytes(data: bytes) -> np.ndarray:
    """The gallery's encodings, one per row."""
    return np.frombuffer(data, dtype=ENCODING_DTYPE).reshape(-1, ENCODING_SIZE)


def gallery_of(enrolment: FaceEnrolment) -> np.ndarray:
    return gallery_from_bytes(bytes(enrolment.encoding))


def nearest_distance(enrolment: FaceEnrolment, encoding) -> float:
    from .. import faces

    return faces.nearest_distance(gallery_of(enrolment), encoding)


def can_take_enrolment_photo(enrolment: FaceEnrolment | None) -> bool:
    """True while the enrolment has fewer than ENROL_PHOTOS photos (or does not exist yet)."""
    return enrolment is None or enrolment.photos < ENROL_PHOTOS


def gallery_append(enrolment: FaceEnrolment, encoding, *, keep_first: int = 1) -> list[str]:
    """Add one encoding; past MAX_PHOTOS the oldest after the first `keep_first` is dropped. Returns the
    fields to save."""
    rows = list(gallery_of(enrolment))
    rows.append(np.asarray(encoding, dtype=np.float64))
    while len(rows) > MAX_PHOTOS:
        del rows[keep_first]
    enrolment.encoding = encoding_to_bytes(np.vstack(rows))
    enrolment.photos = len(rows)
    return ["encoding", "photos"]
