"""Face encoding and matching (pure module; no Django, no database)."""

from __future__ import annotations

import io
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from PIL import Image, ImageOps

from thr_frs import faces

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"
OBAMA = ("obama_1.jpg", "obama_2.jpg", "obama_small.jpg")
BIDEN = ("biden_1.jpg", "biden_2.jpg")
EXIF_ORIENTATION_TAG = 0x0112
# Orientation 6: the viewer must rotate 90 degrees clockwise to show it upright.
EXIF_ROTATE_CLOCKWISE = 6
TWELVE_MEGAPIXELS = (4000, 3000)
SAME_PHOTO_MAX_DISTANCE = 0.15


def _photo(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _upright(name: str) -> Image.Image:
    with Image.open(FIXTURES / name) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def _jpeg(image: Image.Image, **save_options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **save_options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def encodings() -> dict[str, np.ndarray]:
    return {name: faces.encode_face(_photo(name)) for name in OBAMA + BIDEN}


def test_encoding_is_128_float64(encodings: dict[str, np.ndarray]) -> None:
    for encoding in encodings.values():
        assert encoding.shape == (faces.ENCODING_SIZE,)
        assert encoding.dtype == np.float64


@pytest.mark.parametrize(
    ("first", "second"), [*combinations(OBAMA, 2), *combinations(BIDEN, 2)]
)
def test_same_person_matches(
    encodings: dict[str, np.ndarray], first: str, second: str
) -> None:
    distance = faces.face_distance(encodings[first], encodings[second])
    assert faces.is_match(distance, settings.FRS_TOLERANCE)


@pytest.mark.parametrize(("first", "second"), [(a, b) for a in OBAMA for b in BIDEN])
def test_different_people_do_not_match(
    encodings: dict[str, np.ndarray], first: str, second: str
) -> None:
    distance = faces.face_distance(encodings[first], encodings[second])
    assert not faces.is_match(distance, settings.FRS_TOLERANCE)


def test_tolerance_sits_between_clean_same_person_and_different_people(
    encodings: dict[str, np.ndarray]
) -> None:
    """Measured on degraded probes (test_calibration.py); on clean photos the margins are wide both ways."""
    same = [faces.face_distance(encodings[a], encodings[b]) for a, b in [*combinations(OBAMA, 2),
                                                                         *combinations(BIDEN, 2)]]
    different = [faces.face_distance(encodings[a], encodings[b]) for a in OBAMA for b in BIDEN]
    assert max(same) + 0.15 <= settings.FRS_TOLERANCE <= min(different) - 0.2


def test_is_match_boundary() -> None:
    assert faces.is_match(0.4, 0.4)
    assert not faces.is_match(0.41, 0.4)


def test_face_distance_rejects_wrong_shape() -> None:
    with pytest.raises(ValueError):
        faces.face_distance(np.zeros(faces.ENCODING_SIZE), np.zeros(64))


def test_no_face_raises() -> None:
    blank = Image.new("RGB", (640, 480), (200, 180, 160))
    with pytest.raises(faces.NoFaceFound):
        faces.encode_face(_jpeg(blank))


def test_two_faces_raise() -> None:
    with pytest.raises(faces.MultipleFacesFound):
        faces.encode_face(_photo("two_people.jpg"))


@pytest.mark.parametrize(
    "data", [b"", b"not an image at all", b"%PDF-1.4\n" + bytes(100)]
)
def test_non_image_raises(data: bytes) -> None:
    with pytest.raises(faces.UnreadableImage):
        faces.encode_face(data)


def test_truncated_jpeg_raises() -> None:
    data = _photo("obama_1.jpg")
    with pytest.raises(faces.UnreadableImage):
        faces.encode_face(data[: len(data) // 2])


def test_too_many_pixels_is_refused_before_decoding() -> None:
    # A small PNG whose header claims more pixels than MAX_PIXELS (but fewer
    # than Pillow's own limit, so this exercises our check).
    huge = Image.new("1", (8_000, 7_000))
    assert huge.width * huge.height > faces.MAX_PIXELS
    buffer = io.BytesIO()
    huge.save(buffer, "PNG")
    with pytest.raises(faces.UnreadableImage):
        faces.encode_face(buffer.getvalue())


PEAK_SCRIPT = """
import resource, sys
from thr_frs import faces
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    faces.prepare_image(data)
    outcome = "decoded"
except faces.UnreadableImage:
    outcome = "refused"
print(outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def _decode_in_a_fresh_process(tmp_path: Path, image: Image.Image, fmt: str, **options) -> tuple[str, int]:
    """(outcome, MB the decoding added to the process's peak memory), measured by the kernel."""
    path = tmp_path / f"photo.{fmt.lower()}"
    image.save(path, fmt, **options)
    result = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path)], capture_output=True, text=True,
                            cwd=Path(faces.__file__).resolve().parents[1], check=True)
    outcome, megabytes = result.stdout.split()
    return outcome, int(megabytes)


@pytest.mark.parametrize(("fmt", "options"), [("PNG", {"optimize": True}), ("WEBP", {"quality": 10})])
def test_a_small_file_of_huge_dimensions_costs_little_memory(tmp_path: Path, fmt: str, options: dict) -> None:
    # 7,000 x 7,000 of one colour is ~150 KB as PNG or WebP but 0.5-0.9 GB decoded; JPEG's draft
    # decoding does not help these formats, so they are refused before decoding.
    outcome, megabytes = _decode_in_a_fresh_process(tmp_path, Image.new("RGB", (7000, 7000), (200, 180, 160)),
                                                    fmt, **options)
    assert (outcome, megabytes < 100) == ("refused", True)


@pytest.mark.parametrize(("fmt", "size"), [("PNG", (1600, 1600)), ("WEBP", (1600, 1600)), ("JPEG", (7000, 7000))])
def test_the_largest_accepted_photo_of_each_format_decodes_under_100_mb(tmp_path: Path, fmt: str,
                                                                        size: tuple[int, int]) -> None:
    outcome, megabytes = _decode_in_a_fresh_process(tmp_path, Image.new("RGB", size, (200, 180, 160)), fmt)
    assert outcome == "decoded" and megabytes < 100, megabytes


def test_error_messages_ask_for_a_new_photo() -> None:
    for error in (faces.NoFaceFound, faces.MultipleFacesFound, faces.UnreadableImage):
        assert issubclass(error, faces.FaceError)
        assert "new photo" in str(error())


def test_exif_rotated_photo_is_turned_upright(
    encodings: dict[str, np.ndarray],
) -> None:
    # Pixels stored rotated 90 degrees anticlockwise, as a phone held sideways.
    sideways = _upright("obama_1.jpg").transpose(Image.Transpose.ROTATE_90)
    with pytest.raises(faces.NoFaceFound):
        faces.encode_face(_jpeg(sideways))  # shows the rotation matters

    exif = Image.Exif()
    exif[EXIF_ORIENTATION_TAG] = EXIF_ROTATE_CLOCKWISE
    encoding = faces.encode_face(_jpeg(sideways, exif=exif))
    assert faces.face_distance(encoding, encodings["obama_1.jpg"]) < SAME_PHOTO_MAX_DISTANCE


def test_twelve_megapixel_photo_is_downscaled_and_matches(
    encodings: dict[str, np.ndarray],
) -> None:
    portrait = _upright("obama_1.jpg")
    width, height = TWELVE_MEGAPIXELS
    scaled = portrait.resize((round(portrait.width * height / portrait.height), height))
    canvas = Image.new("RGB", TWELVE_MEGAPIXELS, (128, 128, 128))
    canvas.paste(scaled, ((width - scaled.width) // 2, 0))
    data = _jpeg(canvas)

    assert faces.prepare_image(data).shape == (480, 640, 3)
    encoding = faces.encode_face(data)
    assert faces.face_distance(encoding, encodings["obama_1.jpg"]) < SAME_PHOTO_MAX_DISTANCE


def test_max_side_is_respected() -> None:
    assert max(faces.prepare_image(_photo("biden_1.jpg"), max_side=320).shape[:2]) == 320


def test_68_point_model_is_never_loaded(encodings: dict[str, np.ndarray]) -> None:
    # face_recognition.api loads the 68-point model (non-commercial training
    # data) at import; encoding must not pull it in.
    assert encodings
    assert "face_recognition" not in sys.modules
    assert "face_recognition.api" not in sys.modules


def test_truncated_jpeg_raises_even_when_another_library_allows_truncated_images(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # weasyprint and face_recognition.api set this process-wide flag on import.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = _photo("obama_1.jpg")
    with pytest.raises(faces.UnreadableImage):
        faces.encode_face(data[: len(data) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was found
