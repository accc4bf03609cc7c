"""German public holidays (plain Python, no ORM): the nationwide ones and those of a federal state."""

from datetime import date, timedelta

from dateutil.easter import easter

# federal state (ISO 3166-2 code without "DE-") -> its additional holidays, by name
_STATE_HOLIDAYS = {
    "BW": ("Heilige Drei Könige", "Fronleichnam", "Allerheiligen"),
    "BY": ("Heilige Drei Könige", "Fronleichnam", "Allerheiligen"),
    "NW": ("Fronleichnam", "Allerheiligen"),
    "HE": ("Fronleichnam",),
    "RP": ("Fronleichnam", "Allerheiligen"),
    "SL": ("Fronleichnam", "Allerheiligen"),
    "BE": ("Internationaler Frauentag",),
    "HH": ("Reformationstag",),
    "NI": ("Reformationstag",),
    "SH": ("Reformationstag",),
    "HB": ("Reformationstag",),
    "BB": ("Reformationstag",),
    "MV": ("Internationaler Frauentag", "Reformationstag"),
    "SN": ("Reformationstag", "Buß- und Bettag"),
    "ST": ("Heilige Drei Könige", "Reformationstag"),
    "TH": ("Weltkindertag", "Reformationstag"),
}


def german_holidays(year, state=None):
    """The public holidays of ``year`` in Germany as a sorted list of ``(date, name)``: the
    nationwide holidays, plus those of the federal ``state`` (e.g. ``"BW"``) when given."""
    sunday = easter(year)
    every = {
        "Neujahr": date(year, 1, 1),
        "Heilige Drei Könige": date(year, 1, 6),
        "Internationaler Frauentag": date(year, 3, 8),
        "Karfreitag": sunday - timedelta(days=2),
        "Ostermontag": sunday + timedelta(days=1),
        "Tag der Arbeit": date(year, 5, 1),
        "Christi Himmelfahrt": sunday + timedelta(days=39),
        "Pfingstmontag": sunday + timedelta(days=50),
        "Fronleichnam": sunday + timedelta(days=60),
        "Weltkindertag": date(year, 9, 20),
        "Tag der Deutschen Einheit": date(year, 10, 3),
        "Reformationstag": date(year, 10, 31),
        "Allerheiligen": date(year, 11, 1),
        # Wednesday before 23 November
        "Buß- und Bettag": date(year, 11, 22) - timedelta(days=(date(year, 11, 22).weekday() - 2) % 7),
        "1. Weihnachtstag": date(year, 12, 25),
        "2. Weihnachtstag": date(year, 12, 26),
    }
    nationwide = (
        "Neujahr",
        "Karfreitag",
        "Ostermontag",
        "Tag der Arbeit",
        "Christi Himmelfahrt",
        "Pfingstmontag",
        "Tag der Deutschen Einheit",
        "1. Weihnachtstag",
        "2. Weihnachtstag",
    )
    names = nationwide + _STATE_HOLIDAYS.get(state or "", ())
    return sorted((every[name], name) for name in names)
