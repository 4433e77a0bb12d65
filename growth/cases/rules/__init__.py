"""Management of acute malnutrition, case by case (CMAM) — the protocol's rules, pure Python, no Django.

What lives here:

* :class:`Rules` — every threshold and schedule of the protocol as one table of named values, with
  the protocol version and a source note. The defaults are the MoWCD/MoHFW *Protocol for Management
  of Malnutrition in Children* (2023) where it states a value, and the WHO 2013 guideline on the
  management of severe acute malnutrition where it does not. A state sets its own values without code
  changes: :func:`rules_with` reads a dict of overrides (stored per state as JSON, see
  ``growth.cases.models.CaseRulesOverride``) into a new ``Rules``; unknown names or wrong types are
  refused with a message.
* :func:`classify` — SAM / MAM / SUW / "at risk" (under 6 months) from one measurement.
* :func:`derive` — a case's whole state (status, category, level of care, what is due next and when,
  what is overdue, outcome, weight gain) from its ordered events, the child's date of birth and the day
  asked about. It is the only place the protocol's steps are decided: services, pages, the API, the
  nightly job and the dashboards all read its answer, so they cannot disagree.

Events are (kind, date, data) triples in the order they were recorded (see ``Event``). Nothing here
reads a clock: "today" is an argument, so a state derived for a day is the same on every re-run.
"""
from .state import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .values import DEFAULT_RULES, Rules, RulesError  # noqa: F401  (named for readers)
from .vocabulary import *  # noqa: F401,F403
