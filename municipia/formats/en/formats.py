"""English dates and times as the network's members write them: day before
month, a 24-hour clock, weeks from Monday (Django's English is American:
"Jan. 18, 2027, 5 p.m.")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2027-01-18, what date fields send
    "%d/%m/%Y",  # 18/01/2027
    "%d/%m/%y",  # 18/01/27
    "%d %B %Y",  # 18 January 2027
    "%d %b %Y",  # 18 Jan 2027
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # what datetime-local fields send
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
