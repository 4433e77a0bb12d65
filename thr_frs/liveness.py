"""A still photo is not a person: the two-frame head-turn challenge. Pure module (no Django), like faces.py.

The worker asks the beneficiary to turn the head to the left or right; the page takes one frame before and one
after. The pair is accepted only when
1. each frame holds exactly one face, and both are the same person (distance within the tolerance);
2. the nose moved along the line of the eyes (a turning head: the nose stands out of the face, so it moves
   across the eyes; measured as the nose's position between the two eye centres, 0 = one eye, 1 = the other);
3. the second face is *not* the first one seen as a flat picture: the two faces, aligned on their eyes and
   nose, are registered with a homography (the most a flat card can do in front of a camera: move, tilt, turn,
   come closer) and with the mirror image of one of them. A flat picture (the same photo twice, a photo tilted
   or turned in front of the lens, a photo and its mirror image) fits one of them almost exactly
   (correlation >= 0.95 measured); two frames of a real head that turned do not (<= 0.83 measured between
   photos of the same person in different poses).

What it does not catch (README says so too): a video of the person turning the head played to the camera;
two different photos of the person (one frontal, one turned) shown one after the other; a mask or a 3-D
model. It raises the cost of the commonest attack, a printed or on-screen photo held up to the camera.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFilter

from . import faces

# The nose must move at least this far along the eye line (in eye-distances) between the two frames.
MIN_NOSE_SHIFT = 0.08
# A homography (or its mirror) that explains the second face this well means a flat picture.
FLAT_CORRELATION = 0.93
CHIP_SIZE = 100
CHIP_BLUR = 1.5
CHIP_MARGIN = 10
LK_ITERATIONS = 60
LK_STEP_DONE = 1e-4


@dataclass(frozen=True)
class Verdict:
    live: bool
    reason: str  # "" when live; else "not_same_person", "no_turn" or "flat_picture"
    distance: float
    nose_shift: float
    flat_correlation: float
    # The first frame's encoding (faces.encode_face's): the match that follows uses it instead of reading again.
    encoding: np.ndarray | None = field(default=None, repr=False, compare=False)


def _nose_position(landmarks: np.ndarray) -> float:
    """Where the nose sits between the two eye centres, along the eye line (0 at one eye, 1 at the other)."""
    first_eye = landmarks[0:2].mean(axis=0)
    second_eye = landmarks[2:4].mean(axis=0)
    axis = second_eye - first_eye
    return float(np.dot(landmarks[4] - first_eye, axis) / np.dot(axis, axis))


def _face_chip(reading: faces.FaceReading) -> np.ndarray:
    """The face aligned on its eyes and nose (dlib's chip, cut by faces.read_face), grey and slightly blurred,
    CHIP_SIZE square."""
    grey = Image.fromarray(reading.chip).convert("L").filter(ImageFilter.GaussianBlur(CHIP_BLUR))
    return np.asarray(grey, dtype=np.float64)


def _standardised(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() + 1e-6)


def _warped(image: np.ndarray, homography: np.ndarray) -> np.ndarray:
    """out(x, y) = image(H (x, y)), bilinear."""
    h = homography / homography[2, 2]
    coefficients = (h[0, 0], h[0, 1], h[0, 2], h[1, 0], h[1, 1], h[1, 2], h[2, 0], h[2, 1])
    source = Image.fromarray(image.astype(np.float32), "F")
    return np.asarray(source.transform((CHIP_SIZE, CHIP_SIZE), Image.Transform.PERSPECTIVE, coefficients,
                                       Image.Resampling.BILINEAR), dtype=np.float64)


def planar_fit(template: np.ndarray, image: np.ndarray) -> float:
    """Correlation of `template` with `image` after the best homography (Lucas-Kanade, from the identity)."""
    template = _standardised(template)
    ys, xs = np.mgrid[0:CHIP_SIZE, 0:CHIP_SIZE].astype(np.float64)
    inner = ((xs > CHIP_MARGIN) & (xs < CHIP_SIZE - CHIP_MARGIN)
             & (ys > CHIP_MARGIN) & (ys < CHIP_SIZE - CHIP_MARGIN))
    h = np.eye(3)
    for _ in range(LK_ITERATIONS):
        warped = _standardised(_warped(image, h))
        gy, gx = np.gradient(warped)
        depth = h[2, 0] * xs + h[2, 1] * ys + 1.0
        u = (h[0, 0] * xs + h[0, 1] * ys + h[0, 2]) / depth
        v = (h[1, 0] * xs + h[1, 1] * ys + h[1, 2]) / depth
        jacobian = np.stack([gx * xs / depth, gx * ys / depth, gx / depth, gy * xs / depth, gy * ys / depth,
                             gy / depth, -(gx * u + gy * v) * xs / depth, -(gx * u + gy * v) * ys / depth],
                            axis=-1)[inner]
        # Gauss-Newton step from the 8x8 normal equations: the same least-squares step as lstsq on the
        # 6,400x8 Jacobian, without its SVD (which, with BLAS threads in a forked worker, took seconds).
        normal = jacobian.T @ jacobian
        step = np.linalg.solve(normal + 1e-9 * np.trace(normal) * np.eye(8),
                               jacobian.T @ (template - warped)[inner])
        h = h + np.array([[step[0], step[1], step[2]], [step[3], step[4], step[5]], [step[6], step[7], 0.0]])
        if np.abs(step).max() < LK_STEP_DONE:
            break
    a = template[inner]
    b = _standardised(_warped(image, h))[inner]
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def head_turn(before: bytes, after: bytes, *, tolerance: float) -> Verdict:
    """Judge the two frames of the challenge. Raises faces.FaceError if a frame has no single usable face."""
    first, second = faces.read_face(before, chip_size=CHIP_SIZE), faces.read_face(after, chip_size=CHIP_SIZE)
    distance = faces.face_distance(first.encoding, second.encoding)
    shift = abs(_nose_position(second.landmarks) - _nose_position(first.landmarks))
    first_chip, second_chip = _face_chip(first), _face_chip(second)
    flat = max(planar_fit(first_chip, second_chip), planar_fit(first_chip, np.ascontiguousarray(second_chip[:, ::-1])))
    if not faces.is_match(distance, tolerance):
        reason = "not_same_person"
    elif flat >= FLAT_CORRELATION:
        reason = "flat_picture"
    elif shift < MIN_NOSE_SHIFT:
        reason = "no_turn"
    else:
        reason = ""
    return Verdict(live=not reason, reason=reason, distance=distance, nose_shift=shift, flat_correlation=flat,
                   encoding=first.encoding)
