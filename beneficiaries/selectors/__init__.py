"""Reads about people, always starting from the user's scope: categories.py, daily.py (the centre's daily
services) and people.py (the register, the worker's lists)."""
from .categories import (REGISTER_CATEGORIES, UNDERAGE_MOTHER_YEARS, any_category_q, categories_of, category_q,
                         children_q, members_on, pregnant_or_lactating_q, present_q, FlagCount,
                         register_counts, served_by_category)
from .daily import (HCM_FULL_MONTH_DAYS, ServiceSummary, attendance_on, home_visits, preschool_children,
                    service_summary)
from .people import (DUE_VISITS_LOOKBACK_DAYS, LIFE_STAGE_REVIEW_DAYS, PAGE_SIZE, PULL_PERSON_SHOWN, TONIGHT_DAYS,
                     DueRow, RegisterFilters, WorkerDueList, beneficiary_list, current_purposes, due_for_home_visit,
                     due_for_weighing, due_list, has_consent, life_stage_changes, life_stage_changes_tonight,
                     scoped_beneficiaries, scoped_households, transfers_for, transfers_mark_hidden)

__all__ = ["REGISTER_CATEGORIES", "UNDERAGE_MOTHER_YEARS", "any_category_q", "categories_of", "category_q", "children_q",
           "members_on", "pregnant_or_lactating_q", "present_q", "FlagCount", "register_counts", "served_by_category", "HCM_FULL_MONTH_DAYS",
           "attendance_on", "home_visits", "preschool_children", "service_summary", "ServiceSummary",
           "DUE_VISITS_LOOKBACK_DAYS", "LIFE_STAGE_REVIEW_DAYS", "PAGE_SIZE", "PULL_PERSON_SHOWN",
           "TONIGHT_DAYS", "beneficiary_list", "current_purposes", "due_for_home_visit", "due_for_weighing",
           "due_list", "DueRow", "has_consent", "life_stage_changes", "life_stage_changes_tonight",
           "RegisterFilters", "scoped_beneficiaries", "scoped_households", "transfers_for",
           "transfers_mark_hidden", "WorkerDueList"]
