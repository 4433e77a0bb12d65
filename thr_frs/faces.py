"""Face encoding and 1:1 matching for Take-Home Ration hand-over.

Pure module (no Django). Photos are decoded in memory and never written to
disk. Only two dlib models are loaded: the 5-point landmark predictor and the
ResNet face recognition model, both shipped by ``face_recognition_models``.
``face_recognition`` itself is deliberately not imported: its ``api`` module
loads the 68-point landmark model (whose training data forbids commercial use)
and the CNN detector at import time.
"""

from __future__ import annotations

import importlib.util
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlib
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFile, ImageFilter, ImageOps

ENCODING_SIZE = 128
DEFAULT_MAX_SIDE = 640
# A 48-megapixel phone photo fits; anything larger is refused before decoding.
MAX_PIXELS = 50_000_000
# JPEG is decoded reduced (draft mode: 1/2 .. 1/8 scale), so a large JPEG costs little. PNG and
# WebP cannot be: a 7,000 x 7,000 one of ~150 KB took 0.5-0.9 GB to decode. They are refused above
# 1,600 x 1,600 (the phone sends 640 px), where decoding peaks at ~55 MB (measured: a 2,048 px WebP
# took 85 MB, a 7,000 px JPEG 11 MB), so one photo costs < 100 MB whatever its format.
MAX_PIXELS_UNREDUCED = 1600 * 1600
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# One HOG upsampling pass finds faces down to ~40 px in a 640 px photo.
HOG_UPSAMPLE = 1
NUM_JITTERS = 1
# A photo this dark on average (0-255 grey) was taken in a dim room: its sensor noise is smoothed (3 px median)
# and its levels stretched (1 % clipped at each end) before the face is searched for. bench/face_calibration.py
# measured it on degraded probes: without it a dark probe lost its face or came 0.05-0.1 closer to other people.
# Upload photos in ordinary light average 60-130 and are encoded as they are (so are the enrolments made
# before this rule); the dark probes of the calibration average 13-23.
DARK_MEAN = 40
DARK_MEDIAN_SIZE = 3
DARK_CLIP_PERCENT = 1

# The match tolerance is not a constant of this module: the caller passes it, and the
# portal's one value is settings.FRS_TOLERANCE (poshan/settings/base/site.py says how it was measured).

_MODELS_PACKAGE = "face_recognition_models"
_FIVE_POINT_MODEL_FILE = "shape_predictor_5_face_landmarks.dat"
_RECOGNITION_MODEL_FILE = "dlib_face_recognition_resnet_model_v1.dat"

FaceEncoding = npt.NDArray[np.float64]


class FaceError(Exception):
    """A photo cannot be used for face matching; the worker should retake it."""

    default_message = "The photo cannot be used. Please take a new photo."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class NoFaceFound(FaceError):
    default_message = (
        "No face was found in the photo. Please take a new photo with the "
        "beneficiary's face clearly visible, facing the camera, in good light."
    )


class MultipleFacesFound(FaceError):
    default_message = (
        "More than one face was found in the photo. Please take a new photo "
        "with only the beneficiary in the frame."
    )


class UnreadableImage(FaceError):
    default_message = (
        "The photo could not be read. Please take a new photo and try again."
    )


@dataclass(frozen=True)
class _Models:
    detector: Any
    shape_predictor: Any
    face_encoder: Any


_models: _Models | None = None
# dlib detectors and networks must not be used concurrently, so the same lock
# guards loading and every inference call.
_dlib_lock = threading.Lock()


def _model_path(filename: str) -> str:
    # find_spec locates the package without executing its __init__, which
    # imports the deprecated pkg_resources just to build these same paths.
    spec = importlib.util.find_spec(_MODELS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {_MODELS_PACKAGE} package is not installed.")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    return str(package_dir / "models" / filename)


def _loaded_models() -> _Models:
    """Return the process-wide models; call with ``_dlib_lock`` held."""
    global _models
    if _models is None:
        _models = _Models(
            detector=dlib.get_frontal_face_detector(),
            shape_predictor=dlib.shape_predictor(_model_path(_FIVE_POINT_MODEL_FILE)),
            face_encoder=dlib.face_recognition_model_v1(
                _model_path(_RECOGNITION_MODEL_FILE)
            ),
        )
    return _models


def load_models() -> None:
    """Load the models now instead of on the first encoding (e.g. at startup)."""
    with _dlib_lock:
        _loaded_models()


# Pillow's LOAD_TRUNCATED_IMAGES is process-wide, and importing weasyprint (PDF
# registers) or face_recognition.api sets it to True: a truncated upload would
# then decode grey-filled instead of being refused. Decode with it off.
_strict_decode_lock = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    with _strict_decode_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def prepare_image(
    image_bytes: bytes, *, max_side: int = DEFAULT_MAX_SIDE
) -> npt.NDArray[np.uint8]:
    """Decode a photo upright, in RGB, with its longest side at most ``max_side`` (a dark one brightened)."""
    try:
        with _strict_decoding(), Image.open(
            io.BytesIO(image_bytes), formats=ACCEPTED_FORMATS
        ) as image:
            width, height = image.size
            limit = MAX_PIXELS if image.format in ("JPEG", "MPO") else MAX_PIXELS_UNREDUCED
            if width * height > limit:
                raise UnreadableImage(
                    "The photo is too large. Please take a new photo at normal "
                    "camera resolution."
                )
            # JPEG only: let the decoder shrink by 1/2, 1/4 or 1/8 while both
            # sides stay >= max_side, so a 12 MP photo is never fully decoded.
            image.draft("RGB", (max_side, max_side))
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,  # raised when warnings are errors
    ) as exc:
        raise UnreadableImage() from exc
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if np.asarray(upright.convert("L")).mean() < DARK_MEAN:
        upright = ImageOps.autocontrast(upright.filter(ImageFilter.MedianFilter(DARK_MEDIAN_SIZE)),
                                        cutoff=DARK_CLIP_PERCENT)
    return np.array(upright, dtype=np.uint8)


@dataclass(frozen=True)
class FaceReading:
    """The single face of a photo: its encoding, its box and its five landmarks (in the decoded photo's pixels)."""

    encoding: FaceEncoding
    box: tuple[int, int, int, int]  # left, top, right, bottom
    # The 5-point model's order: right eye outer and inner corner, left eye outer and inner corner, nose base.
    landmarks: npt.NDArray[np.float64]
    size: tuple[int, int]  # width, height of the decoded photo
    # The face aligned on its eyes and nose (dlib's chip, RGB), when asked for (liveness.py): cut from the same
    # detection, so the photo is not decoded and searched a second time.
    chip: npt.NDArray[np.uint8] | None = field(default=None, repr=False, compare=False)


def read_face(image_bytes: bytes, *, max_side: int = DEFAULT_MAX_SIDE, chip_size: int | None = None) -> FaceReading:
    """Find the single face of a photo and encode it (and, with `chip_size`, cut its aligned chip).

    Raises ``UnreadableImage``, ``NoFaceFound`` or ``MultipleFacesFound``.
    """
    pixels = prepare_image(image_bytes, max_side=max_side)
    with _dlib_lock:
        models = _loaded_models()
        detections = models.detector(pixels, HOG_UPSAMPLE)
        if len(detections) == 0:
            raise NoFaceFound()
        if len(detections) > 1:
            raise MultipleFacesFound()
        box = detections[0]
        landmarks = models.shape_predictor(pixels, box)
        descriptor = models.face_encoder.compute_face_descriptor(
            pixels, landmarks, NUM_JITTERS
        )
    points = np.array([(point.x, point.y) for point in landmarks.parts()], dtype=np.float64)
    chip = dlib.get_face_chip(pixels, landmarks, size=chip_size, padding=0.0) if chip_size else None
    return FaceReading(
        encoding=np.array(descriptor, dtype=np.float64),
        box=(box.left(), box.top(), box.right(), box.bottom()),
        landmarks=points,
        size=(pixels.shape[1], pixels.shape[0]),
        chip=chip,
    )


def encode_face(image_bytes: bytes, *, max_side: int = DEFAULT_MAX_SIDE) -> FaceEncoding:
    """Return the 128-d encoding of the single face in a photo.

    Raises ``UnreadableImage``, ``NoFaceFound`` or ``MultipleFacesFound``.
    """
    return read_face(image_bytes, max_side=max_side).encoding


def face_boxes(image_bytes: bytes, *, max_side: int = DEFAULT_MAX_SIDE) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of every face found, in the decoded photo's pixels, left to right."""
    pixels = prepare_image(image_bytes, max_side=max_side)
    with _dlib_lock:
        detections = _loaded_models().detector(pixels, HOG_UPSAMPLE)
    return sorted((d.left(), d.top(), d.right(), d.bottom()) for d in detections)


def face_distance(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Euclidean distance between two face encodings."""
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    if first.shape != (ENCODING_SIZE,) or second.shape != (ENCODING_SIZE,):
        raise ValueError(f"Face encodings must have shape ({ENCODING_SIZE},).")
    return float(np.linalg.norm(first - second))


def nearest_distance(gallery: npt.ArrayLike, encoding: npt.ArrayLike) -> float:
    """Distance from an encoding to the nearest of a person's enrolled encodings (one per row)."""
    rows = np.asarray(gallery, dtype=np.float64).reshape(-1, ENCODING_SIZE)
    if rows.shape[0] == 0:
        raise ValueError("The gallery holds no encoding.")
    return min(face_distance(row, encoding) for row in rows)


def is_match(distance: float, tolerance: float) -> bool:
    """True if ``distance`` is close enough for the two faces to be one person."""
    return distance <= tolerance
