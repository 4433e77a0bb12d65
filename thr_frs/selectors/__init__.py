"""Reads for THR pages and APIs, always from the user's scope (or, for face endpoints, their own centre)."""
from .centre import *  # noqa: F401,F403
from .centre import __all__ as _centre_all
from .entitled import entitled_packets
from .figures import Figures, ReportRow, report_rows, thr_figures, thr_figures_by_awc
from .frs import FrsFigures, FrsReport, frs_figures_by, frs_report, share_by_month
from .supervision import (REPEATED_FAILURES, AwcFollowUp, follow_up_by_awc, mismatches, near_misses, overrides_for,
                          pending_overrides)

__all__ = [*_centre_all, "AwcFollowUp", "Figures", "FrsFigures", "FrsReport", "frs_figures_by", "frs_report",
           "share_by_month", "REPEATED_FAILURES", "ReportRow", "entitled_packets",
           "follow_up_by_awc",
           "mismatches", "near_misses", "overrides_for", "pending_overrides", "report_rows", "thr_figures",
           "thr_figures_by_awc"]
