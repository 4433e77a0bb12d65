"""Demo content is made on the spot (nothing downloaded) and goes through the real services."""
import av

from grievances.demo import build_demo_grievances
from grievances.models import Grievance
from poshan.demo.world import build_locations, build_users
from training.demo import build_demo_videos
from training.models import Video
from training.validators import read_head, video_type


def test_demo_videos_are_real_playable_mp4s(db):
    videos = build_demo_videos()
    assert len(videos) == 4
    video = videos[0]
    assert video_type(read_head(video.file)) == "video/mp4"
    with av.open(video.file.path) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert sum(1 for _frame in container.decode(stream)) == video.duration_seconds * 10


def test_demo_videos_have_posters_and_a_quiz(db):
    build_demo_videos()
    assert all(v.poster for v in Video.objects.all())
    assert Video.objects.get(kind="self_learning").questions.count() == 2


def test_demo_videos_are_built_once(db):
    build_demo_videos()
    assert build_demo_videos() == []
    assert Video.objects.count() == 4


def test_demo_grievances_show_each_channel_and_step(db):
    build_users(build_locations())
    build_demo_grievances()
    assert set(Grievance.objects.values_list("channel", flat=True)) == {"app", "dashboard", "helpline"}
    assert Grievance.objects.filter(status="resolved").count() == 1
    assert Grievance.objects.filter(escalation_count=1).count() == 1
