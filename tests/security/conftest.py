"""The browser settings of the end-to-end tests (Debian's Chromium, a phone's viewport) for tests/security too."""
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401
