"""Day, month, year: "09 Nov 2026", or 09/11/2026 where space is short (lists, tables)."""

DATE_FORMAT = "d M Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on Indian calendars

# A date typed into a plain text box (a browser without a date picker) is read day first; ISO first, because
# that is what <input type="date"> sends and shows.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M:%S",
                          "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%d"]

# Figures grouped the Indian way: 12,34,567 (three digits, then twos). Applied where a template asks for it
# (the |indian and |lakh_crore filters, poshan/core/templatetags/indian_numbers.py); USE_THOUSAND_SEPARATOR
# stays off, so ids in links, form inputs, CSV and JSON keep plain numbers a machine reads.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
