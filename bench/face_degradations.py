"""Field conditions applied to a clean photo, deterministically and in memory (no files written).

Used by bench/frs_calibrate.py (the tolerance's evidence) and tests/thr_frs (which assert the goal),
so both measure the same probes. Pure Pillow + NumPy: no Django, no face model. Every random
choice comes from a generator seeded by the caller, so a probe is the same on every run.

Each degradation takes the upload photo (upright RGB, longest side 640 px, as the phone sends it)
and returns JPEG bytes, as the phone would upload them:
- dark: a dim room (a fifth of the light, a flat gamma) with sensor noise;
- backlight: the person in front of a window (face under-exposed, a bright glare from one side);
- low_res: 320 px and heavy JPEG compression (quality 12);
- motion_blur: the hand or the child moved (a 15 px horizontal smear);
- tilt: the head or the phone 20 degrees off upright;
- small_face: taken from ~3 m, the face ~48 px wide in a 640 x 480 frame.
"""
from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter, ImageOps

UPLOAD_SIDE = 640
UPLOAD_QUALITY = 85
GREY = (128, 128, 128)
DARK_LIGHT = 0.2
DARK_GAMMA = 1.3
DARK_NOISE_SIGMA = 8.0
BACKLIGHT_FACE = 0.5
BACKLIGHT_GLARE = 0.85
LOW_RES_SIDE = 320
LOW_RES_QUALITY = 12
BLUR_LENGTH = 15
TILT_DEGREES = 20
SMALL_FACE_WIDTH = 48
SMALL_FACE_FRAME = (640, 480)


def jpeg(image: Image.Image, quality: int = UPLOAD_QUALITY) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def upload_photo(image: Image.Image) -> Image.Image:
    """What the phone sends: upright RGB, longest side at most 640 px."""
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((UPLOAD_SIDE, UPLOAD_SIDE), Image.Resampling.LANCZOS)
    return upright


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float64)


def _image(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "RGB")


def dark(image: Image.Image, rng: np.random.Generator) -> bytes:
    pixels = 255.0 * (_pixels(image) / 255.0) ** DARK_GAMMA * DARK_LIGHT
    pixels += rng.normal(0.0, DARK_NOISE_SIGMA, pixels.shape)
    return jpeg(_image(pixels))


def backlight(image: Image.Image, rng: np.random.Generator) -> bytes:
    pixels = _pixels(image) * BACKLIGHT_FACE
    height, width = pixels.shape[:2]
    # A window behind one shoulder: glare strongest at one top corner, fading across the frame.
    corner_x = width * rng.choice([0.0, 1.0])
    ys, xs = np.mgrid[0:height, 0:width]
    reach = np.hypot(width, height) * 0.6
    glare = BACKLIGHT_GLARE * np.clip(1.0 - np.hypot(xs - corner_x, ys) / reach, 0.0, 1.0)[..., None]
    pixels = pixels * (1.0 - glare) + 255.0 * glare
    return jpeg(_image(pixels))


def low_res(image: Image.Image, rng: np.random.Generator) -> bytes:
    small = image.copy()
    small.thumbnail((LOW_RES_SIDE, LOW_RES_SIDE), Image.Resampling.BILINEAR)
    return jpeg(small, quality=LOW_RES_QUALITY)


def motion_blur(image: Image.Image, rng: np.random.Generator) -> bytes:
    pixels = _pixels(image)
    smeared = np.zeros_like(pixels)
    for shift in range(BLUR_LENGTH):
        smeared += np.roll(pixels, shift - BLUR_LENGTH // 2, axis=1)
    return jpeg(_image(smeared / BLUR_LENGTH))


def tilt(image: Image.Image, rng: np.random.Generator) -> bytes:
    angle = TILT_DEGREES * rng.choice([-1.0, 1.0])
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=GREY)
    turned.thumbnail((UPLOAD_SIDE, UPLOAD_SIDE), Image.Resampling.LANCZOS)
    return jpeg(turned)


def small_face(image: Image.Image, rng: np.random.Generator, *, face_width: float) -> bytes:
    """The whole photo shrunk so that a face ``face_width`` px wide becomes ~48 px, in a 640 x 480 frame."""
    scale = SMALL_FACE_WIDTH / face_width
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    shrunk = image.resize(size, Image.Resampling.LANCZOS)
    frame = Image.new("RGB", SMALL_FACE_FRAME, GREY)
    frame.paste(shrunk, ((SMALL_FACE_FRAME[0] - shrunk.width) // 2, (SMALL_FACE_FRAME[1] - shrunk.height) // 2))
    return jpeg(frame)


DEGRADATIONS: dict[str, Callable[..., bytes]] = {
    "dark": dark,
    "backlight": backlight,
    "low_res": low_res,
    "motion_blur": motion_blur,
    "tilt": tilt,
    "small_face": small_face,
}


def degraded_probes(image: Image.Image, *, face_width: float, seed: int) -> dict[str, bytes]:
    """Every degradation of one upload photo, as JPEG bytes, the same on every run for the same seed."""
    rng = np.random.default_rng(seed)
    probes = {}
    for name, degrade in DEGRADATIONS.items():
        extra = {"face_width": face_width} if name == "small_face" else {}
        probes[name] = degrade(image, rng, **extra)
    return probes


# --- attacks on the head-turn challenge (thr_frs/liveness.py): a flat picture in front of the camera -------------


def _homography(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE coefficients that map each output point in `target` to the input point in `source`."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        values.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.append(v)
    return tuple(np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64)))


def photo_turned(image: Image.Image, degrees: float, *, distance: float = 1.5) -> bytes:
    """The photo as a flat card turned `degrees` about its vertical centre line, seen by a pinhole camera
    `distance` photo-widths away (a printed photo turned in front of the phone)."""
    width, height = image.size
    focal = distance * width
    angle = np.radians(degrees)

    def project(x: float, y: float) -> tuple[float, float]:
        across = (x - width / 2) * np.cos(angle)
        depth = focal + (x - width / 2) * np.sin(angle)
        return focal * across / depth + width / 2, focal * (y - height / 2) / depth + height / 2

    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    coefficients = _homography(corners, [project(x, y) for x, y in corners])
    turned = image.transform(image.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC,
                             fillcolor=GREY)
    return jpeg(turned)


def photo_mirrored(image: Image.Image) -> bytes:
    return jpeg(ImageOps.mirror(image))
