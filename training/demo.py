"""Demo training content made on the spot: short playable videos drawn with Pillow and encoded
with PyAV (its wheel carries its own FFmpeg), so nothing is downloaded. Plus one cascade session."""
from __future__ import annotations

import datetime as dt
import io
import logging
import tempfile
from fractions import Fraction
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from . import services
from .models import Curriculum, Topic, Video, VideoKind

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 320, 180
FPS = 10
SECONDS = 4
DEMO_FOLDER = "training/demo"
COLOURS = [(180, 83, 9), (22, 101, 52), (30, 64, 175), (157, 23, 77)]

# title, topic, kind, language, quiz [(question, choices, right answer index)]
DEMO_VIDEOS = [
    ("Breastfeeding in the first hour", Topic.BREASTFEEDING, VideoKind.COUNSELLING, "hi", []),
    ("Complementary feeding from six months", Topic.COMPLEMENTARY_FEEDING, VideoKind.COUNSELLING, "hi", []),
    ("Birth preparedness: the five checks", Topic.BIRTH_PREPAREDNESS, VideoKind.COUNSELLING, "en", []),
    ("Weighing a child on the infantometer", Topic.GROWTH_MONITORING, VideoKind.SELF_LEARNING, "hi", [
        ("How often is a child under two weighed?", ["Every month", "Once a year", "Only when ill"], 0),
        ("What do you do when the weight falls?", ["Nothing", "Counsel the mother and tell the supervisor"], 1),
    ]),
]


def _frames(title: str, colour: tuple[int, int, int]):
    """A title card with a progress bar that fills over the clip."""
    total = FPS * SECONDS
    for i in range(total):
        image = Image.new("RGB", (WIDTH, HEIGHT), colour)
        draw = ImageDraw.Draw(image)
        draw.text((12, 20), "Poshan", fill=(255, 255, 255))
        draw.text((12, 60), title[:48], fill=(255, 255, 255))
        draw.rectangle((12, HEIGHT - 30, 12 + (WIDTH - 24) * (i + 1) // total, HEIGHT - 18), fill=(255, 255, 255))
        yield image


def encode_mp4(title: str, colour: tuple[int, int, int]) -> bytes:
    """An H.264 MP4 (moov atom first, so a phone can start before the end arrives)."""
    import av  # only the demo needs it

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.mp4"
        _encode_into(av, str(path), title, colour)  # faststart rewrites the file: needs a real path
        return path.read_bytes()


def _encode_into(av, path: str, title: str, colour: tuple[int, int, int]) -> None:
    with av.open(path, mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.options = {"preset": "veryfast", "crf": "30"}
        for index, image in enumerate(_frames(title, colour)):
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _poster(title: str, colour: tuple[int, int, int]) -> bytes:
    image = next(_frames(title, colour))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _store(name: str, content: bytes) -> str:
    """Demo files get fixed names (re-seeding replaces them instead of piling up copies)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def build_demo_videos() -> list[Video]:
    """The demo library; skipped (with a log line) when PyAV is not installed."""
    try:
        import av  # noqa: F401
    except ImportError:
        logger.warning("PyAV is not installed: no demo videos (pip install -r requirements.txt)")
        return []
    made = []
    for index, (title, topic, kind, language, quiz) in enumerate(DEMO_VIDEOS):
        if Video.objects.filter(title=title, language=language).exists():
            continue
        colour = COLOURS[index % len(COLOURS)]
        slug = f"demo-{index + 1}"
        video = services.video_create(
            actor=None, title=title, language=language, duration_seconds=SECONDS, topic=topic, kind=kind,
            file=_store(f"{DEMO_FOLDER}/{slug}.mp4", encode_mp4(title, colour)),
            poster=_store(f"{DEMO_FOLDER}/{slug}.jpg", _poster(title, colour)),
            description="A demo clip generated at seed time.", questions=quiz,
        )
        made.append(video)
    return made


def build_demo_session(*, recorder, workers) -> None:
    """One cascade session in the recorder's area, attended by the given workers."""
    from anganwadi.selectors import user_area

    area = user_area(recorder)
    if area is None or area.location is None:
        return
    session = services.session_create(
        actor=recorder, date=timezone.localdate() - dt.timedelta(days=7), place=f"{area.location.name} office",
        location=area.location, trainer=recorder, curriculum=Curriculum.UNDER_3,
    )
    services.attendance_set(actor=recorder, session=session, workers=workers)
