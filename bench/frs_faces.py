"""Benchmark thr_frs.faces on this machine.

Prints the pairwise distance matrix of the sample photos, encode time
(median/p95) for a 640x480 and a 12-megapixel photo, and process memory.

Run from the repository root: ``python bench/frs_faces.py``
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run as a script, import the app package

from thr_frs import faces  # noqa: E402

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "faces"
# Third person whose licence is unknown: local experiments only, never copied.
SHARED_EXTRA_PHOTO = REPO_ROOT.parent / "shared" / "fixtures" / "faces" / "kit_1.jpg"
TIMING_SOURCE = "obama_1.jpg"
SMALL_SIZE = (640, 480)
LARGE_SIZE = (4000, 3000)
SMALL_RUNS = 30
LARGE_RUNS = 15
JPEG_QUALITY = 90
CANVAS_GREY = (128, 128, 128)
PERCENTILES = 20  # statistics.quantiles cut points in 5 % steps; index 18 = p95
P95_INDEX = 18
CLEAR_PEAK_RSS = "5"  # /proc/<pid>/clear_refs command that resets VmHWM


def _memory_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(field)


def _memory_line(label: str) -> str:
    rss_mib = _memory_kib("VmRSS") / 1024
    hwm_mib = _memory_kib("VmHWM") / 1024
    return f"{label:<28} VmRSS {rss_mib:7.1f} MiB   VmHWM {hwm_mib:7.1f} MiB"


def _reset_peak_memory() -> None:
    """Set VmHWM back to the current VmRSS (Linux >= 4.0)."""
    Path("/proc/self/clear_refs").write_text(CLEAR_PEAK_RSS)


def _person(name: str) -> str:
    return name.split("_", 1)[0]


def _sample_photos() -> dict[str, bytes]:
    photos = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.jpg"))}
    if SHARED_EXTRA_PHOTO.exists():
        photos[SHARED_EXTRA_PHOTO.name] = SHARED_EXTRA_PHOTO.read_bytes()
    else:
        print(f"(skipping {SHARED_EXTRA_PHOTO.name}: not found at {SHARED_EXTRA_PHOTO})")
    return photos


def _print_distance_matrix(photos: dict[str, bytes]) -> None:
    encodings: dict[str, np.ndarray] = {}
    for name, data in photos.items():
        try:
            encodings[name] = faces.encode_face(data)
        except faces.FaceError as error:
            print(f"{name}: {type(error).__name__}")
    names = list(encodings)
    width = max(len(name) for name in names)
    print(" " * width + "".join(f"{name:>{width + 1}}" for name in names))
    for row in names:
        cells = "".join(
            f"{faces.face_distance(encodings[row], encodings[column]):>{width + 1}.3f}"
            for column in names
        )
        print(f"{row:<{width}}{cells}")

    same: list[float] = []
    different: list[float] = []
    for first, second in combinations(names, 2):
        distance = faces.face_distance(encodings[first], encodings[second])
        (same if _person(first) == _person(second) else different).append(distance)
    print(f"same person:      {min(same):.3f} .. {max(same):.3f} ({len(same)} pairs)")
    print(
        f"different people: {min(different):.3f} .. {max(different):.3f} "
        f"({len(different)} pairs)"
    )
    print(f"FRS_TOLERANCE = {_portal_tolerance()} (the portal's one setting)")


def _portal_tolerance() -> float:
    import os

    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poshan.settings.local")
    django.setup()
    return settings.FRS_TOLERANCE


def _photo_of_size(size: tuple[int, int]) -> bytes:
    """The timing portrait scaled to the canvas height, centred, as a JPEG."""
    with Image.open(FIXTURES / TIMING_SOURCE) as image:
        portrait = ImageOps.exif_transpose(image).convert("RGB")
    width, height = size
    scaled = portrait.resize(
        (round(portrait.width * height / portrait.height), height),
        Image.Resampling.LANCZOS,
    )
    canvas = Image.new("RGB", size, CANVAS_GREY)
    canvas.paste(scaled, ((width - scaled.width) // 2, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _print_timing(size: tuple[int, int], runs: int) -> None:
    data = _photo_of_size(size)
    # Peak below covers encode_face only, not building the test photo.
    _reset_peak_memory()
    faces.encode_face(data)  # warm-up
    times = [_seconds(lambda: faces.encode_face(data)) for _ in range(runs)]
    decode = [_seconds(lambda: faces.prepare_image(data)) for _ in range(runs)]
    p95 = statistics.quantiles(times, n=PERCENTILES)[P95_INDEX]
    print(
        f"encode_face {size[0]}x{size[1]} ({len(data) // 1024} KiB JPEG, {runs} runs): "
        f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"(of which decode+downscale median "
        f"{statistics.median(decode) * 1000:.0f} ms)"
    )
    print(_memory_line(f"  while encoding {size[0]}x{size[1]}"))


def main() -> None:
    print(_memory_line("after imports"))
    print(f"model load: {_seconds(faces.load_models):.2f} s")
    print(_memory_line("after loading models"))
    print()
    _print_distance_matrix(_sample_photos())
    print()
    _print_timing(SMALL_SIZE, SMALL_RUNS)
    _print_timing(LARGE_SIZE, LARGE_RUNS)
    print()
    print(f"68-point model loaded: {'face_recognition.api' in sys.modules}")


if __name__ == "__main__":
    main()
