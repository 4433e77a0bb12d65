"""Reads for THR pages and APIs, always from the user's scope (or, for face endpoints, their own centre)."""
from .centre import *  # noqa: F401,F403
from .centre import __all__ as _centre_all
from .entitled import entitled_packets
from .figures import Figures, ReportRow, report_rows, thr_figures, thr_figures_by_awc
from .supervision import (REPEATED_FAILURES, AwcFollowUp, follow_up_by_awc, mismatches, overrides_for,
                          pending_overrides)

__all__ = [*_centre_all, "AwcFollowUp", "Figures", "REPEATED_FAILURES", "ReportRow", "entitled_packets",
           "follow_up_by_awc",
           "mismatches", "overrides_for", "pending_overrides", "report_rows", "thr_figures", "thr_figures_by_awc"]
