"""The pluggable SMS backend (poshan/core/sms.py)."""
import io
import logging

from poshan.core import sms


def test_send_sms_uses_the_configured_backend(settings):
    settings.SMS_BACKEND = "poshan.core.sms.LocMemBackend"
    sms.send_sms("9876543210", "hello")
    assert sms.outbox[-1] == sms.SmsMessage("9876543210", "hello")


def test_console_backend_shows_the_text_but_never_the_whole_number(caplog):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="poshan.core.sms"):
        sms.ConsoleBackend(stream=stream).send("9876543210", "Poshan THR code: 123456")

    assert "Poshan THR code: 123456" in stream.getvalue()
    assert "9876543210" not in stream.getvalue() + caplog.text
    assert "XXXXXX3210" in caplog.text
    assert "123456" not in caplog.text  # the code is printed for the developer, never logged
