"""The pluggable SMS backend (poshan/core/sms.py)."""
import io
import logging

from poshan.core import sms


def test_send_sms_uses_the_configured_backend(settings):
    settings.SMS_BACKEND = "poshan.core.sms.LocMemBackend"
    sms.send_sms("9876543210", "hello")
    assert sms.outbox[-1] == sms.SmsMessage("9876543210", "hello")


def test_console_backend_masks_the_code_and_the_number(caplog):
    """The console is a log too (a server's stdout is collected): a one-time code printed there could be used."""
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="poshan.core.sms"):
        sms.ConsoleBackend(stream=stream).send("9876543210", "Poshan THR code: 123456")

    assert "Poshan THR code: ******" in stream.getvalue()
    assert "123456" not in stream.getvalue() + caplog.text
    assert "9876543210" not in stream.getvalue() + caplog.text
    assert "XXXXXX3210" in caplog.text


def test_the_disabled_backend_sends_nothing_and_logs_no_code(caplog):
    with caplog.at_level(logging.INFO, logger="poshan.core.sms"):
        sms.DisabledBackend().send("9876543210", "Poshan THR code: 123456")
    assert "not sent" in caplog.text
    assert "123456" not in caplog.text and "9876543210" not in caplog.text
