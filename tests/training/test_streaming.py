"""Videos are served with HTTP range requests so a phone's player can seek."""
import pytest
from django.urls import reverse

from training.streaming import RangeNotSatisfiable, parse_range

from .conftest import VIDEO_BYTES

SIZE = len(VIDEO_BYTES)


@pytest.fixture
def stream(make_video, users, login):
    video = make_video()
    client = login(users.aww)
    url = reverse("training:stream", args=[video.pk])

    def get(range_header=None, method="get", **headers):
        if range_header is not None:
            headers["HTTP_RANGE"] = range_header
        response = getattr(client, method)(url, **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response, body

    return get


def test_first_hundred_bytes(stream):
    response, body = stream("bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"
    assert body == VIDEO_BYTES[:100]


def test_from_an_offset_to_the_end(stream):
    response, body = stream("bytes=100-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-{SIZE - 1}/{SIZE}"
    assert body == VIDEO_BYTES[100:]


def test_the_last_fifty_bytes(stream):
    response, body = stream("bytes=-50")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {SIZE - 50}-{SIZE - 1}/{SIZE}"
    assert body == VIDEO_BYTES[-50:]


def test_end_past_the_file_is_clamped(stream):
    response, body = stream(f"bytes=1000-{SIZE + 500}")
    assert response["Content-Range"] == f"bytes 1000-{SIZE - 1}/{SIZE}"
    assert body == VIDEO_BYTES[1000:]


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=50-10", f"bytes={SIZE}-", "bytes=-0", "bytes=", "bytes"])
def test_bad_range_is_416(header, stream):
    response, body = stream(header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert body == b""


def test_without_range_the_whole_file_and_accept_ranges(stream):
    response, body = stream()
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body == VIDEO_BYTES


def test_other_unit_is_ignored(stream):
    response, body = stream("items=0-5")
    assert response.status_code == 200 and body == VIDEO_BYTES


def test_if_range_with_a_stale_etag_sends_everything(stream):
    response, body = stream("bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200 and len(body) == SIZE


def test_if_range_with_the_current_etag_sends_the_range(stream):
    etag = stream()[0]["ETag"]
    response, body = stream("bytes=0-9", HTTP_IF_RANGE=etag)
    assert response.status_code == 206 and body == VIDEO_BYTES[:10]


def test_head_gives_length_without_body(stream):
    response, body = stream("bytes=0-99", method="head")
    assert response.status_code == 206 and response["Content-Length"] == "100" and body == b""


def test_videos_may_be_cached_privately(stream):
    assert stream()[0]["Cache-Control"] == "private, max-age=86400"


def test_webm_is_served_as_webm(make_video, users, login):
    from .conftest import WEBM_HEAD

    video = make_video(content=WEBM_HEAD + b"\x00" * 200, name="clip.webm")
    response = login(users.aww).get(reverse("training:stream", args=[video.pk]), HTTP_RANGE="bytes=0-3")
    assert response["Content-Type"] == "video/webm"
    assert b"".join(response.streaming_content) == b"\x1a\x45\xdf\xa3"


def test_unpublished_video_is_not_found(make_video, users, login):
    video = make_video(is_published=False)
    assert login(users.aww).get(reverse("training:stream", args=[video.pk])).status_code == 404


def test_helpline_may_not_stream(make_video, users, login):
    video = make_video()
    assert login(users.helpline).get(reverse("training:stream", args=[video.pk])).status_code == 403


def test_anonymous_is_sent_to_sign_in(make_video, client):
    video = make_video()
    assert client.get(reverse("training:stream", args=[video.pk])).status_code == 302


@pytest.mark.parametrize("header, expected", [
    ("bytes=0-0", (0, 0)), ("bytes=5-", (5, 9)), ("bytes=-3", (7, 9)), ("bytes=-100", (0, 9)),
    ("bytes=2-100", (2, 9)), (None, None), ("bytes=0-1,4-5", None), ("BYTES = 1-2", (1, 2)),
])
def test_parse_range(header, expected):
    assert parse_range(header, 10) == expected


@pytest.mark.parametrize("header", ["bytes=10-", "bytes=3-2", "bytes=-", "bytes=x-1", "bytes=1-x", "bytes=١-٢"])
def test_parse_range_refuses(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 10)
