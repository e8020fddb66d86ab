"""English output formats without the US month/day order (issue 14).

Django's English SHORT_DATE_FORMAT is "m/d/Y": a Danish HR manager reading "01/08/2015" in the English UI
cannot tell 1 August from 8 January. Only output formats are set here; the input formats (what a form
accepts) stay Django's, which this module falls back to for every name it does not define.
"""

DATE_FORMAT = "j F Y"  # 3 December 2026
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"  # 3 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
