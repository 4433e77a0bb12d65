from poshan.formats.india import *  # noqa: F401,F403  (Indian conventions, day first)
