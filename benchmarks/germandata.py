"""Pure helpers of the benchmark generator: German names, addresses, VAT numbers, misspellings.

No Odoo import here, so ``python -m benchmarks.selftest`` can check them without a database.
Every function takes a ``random.Random`` instance, so a seeded generator gives the same data.
"""

import functools
import re
import unicodedata

FIRST_NAMES_M = [
    "Alexander",
    "Andreas",
    "Bernd",
    "Christian",
    "Daniel",
    "Dennis",
    "Dirk",
    "Florian",
    "Frank",
    "Hans",
    "Heinz",
    "Jan",
    "Jens",
    "Jörg",
    "Jürgen",
    "Karl",
    "Klaus",
    "Lars",
    "Lukas",
    "Markus",
    "Martin",
    "Matthias",
    "Michael",
    "Niklas",
    "Oliver",
    "Patrick",
    "Peter",
    "Ralf",
    "Sebastian",
    "Stefan",
    "Sven",
    "Thomas",
    "Tobias",
    "Uwe",
    "Werner",
    "Wolfgang",
    "Günter",
    "Jörn",
    "Björn",
    "Maximilian",
]
FIRST_NAMES_F = [
    "Andrea",
    "Angelika",
    "Anja",
    "Anna",
    "Birgit",
    "Claudia",
    "Christina",
    "Daniela",
    "Elke",
    "Eva",
    "Gabriele",
    "Heike",
    "Ingrid",
    "Julia",
    "Jutta",
    "Karin",
    "Katharina",
    "Kerstin",
    "Laura",
    "Lena",
    "Maria",
    "Martina",
    "Melanie",
    "Monika",
    "Nicole",
    "Petra",
    "Renate",
    "Sabine",
    "Sandra",
    "Silke",
    "Simone",
    "Stefanie",
    "Susanne",
    "Tanja",
    "Ursula",
    "Jessica",
    "Jülide",
    "Sophie",
    "Hannah",
    "Marie",
]
FIRST_NAMES = FIRST_NAMES_M + FIRST_NAMES_F

# Nicknames and long forms: "same email, different name" duplicates.
NICKNAMES = {
    "Alexander": "Alex",
    "Andreas": "Andi",
    "Christian": "Chris",
    "Daniel": "Dani",
    "Johannes": "Hans",
    "Hans": "Johannes",
    "Matthias": "Matze",
    "Michael": "Micha",
    "Sebastian": "Basti",
    "Stefan": "Steffen",
    "Thomas": "Tom",
    "Tobias": "Tobi",
    "Wolfgang": "Wolf",
    "Gabriele": "Gabi",
    "Katharina": "Kathrin",
    "Stefanie": "Steffi",
    "Susanne": "Susi",
    "Christina": "Tina",
    "Maximilian": "Max",
    "Angelika": "Angela",
}

SURNAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
    "Strauß",
    "Gruber",
    "Pichler",
    "Steiner",
    "Moser",
    "Hofer",
    "Leitner",
    "Brunner",
    "Egger",
    "Widmer",
    "Baumgartner",
    "Frei",
    "Gerber",
    "Kälin",
    "Näf",
    "Großmann",
    "Weißenborn",
    "Nußbaum",
    "Fröhlich",
    "Dürr",
    "Süß",
    "Gößling",
]

# Branche: the middle word of company names ("Meier Maschinenbau GmbH").
BRANCHES = [
    "Maschinenbau",
    "Elektrotechnik",
    "Logistik",
    "Bau",
    "Metallbau",
    "Haustechnik",
    "Druck",
    "Software",
    "Consulting",
    "Medizintechnik",
    "Kunststofftechnik",
    "Anlagenbau",
    "Holzbau",
    "Feinmechanik",
    "Verpackung",
    "Systemtechnik",
    "Automation",
    "Lebensmittel",
    "Handel",
    "Immobilien",
    "Fahrzeugtechnik",
    "Spedition",
    "Gebäudereinigung",
    "Steuerungstechnik",
    "Werkzeugbau",
    "Landtechnik",
    "Textil",
    "Möbelwerkstätten",
    "Stahlhandel",
    "Sanitär",
]

LEGAL_FORMS = {
    "DE": [
        ("GmbH", 45),
        ("GmbH & Co. KG", 15),
        ("AG", 8),
        ("KG", 10),
        ("e.K.", 10),
        ("UG (haftungsbeschränkt)", 7),
        ("OHG", 5),
    ],
    "AT": [("GmbH", 60), ("KG", 15), ("AG", 10), ("e.U.", 10), ("OG", 5)],
    "CH": [("AG", 55), ("GmbH", 40), ("Genossenschaft", 5)],
}

# Legal-form spellings that mean the same (duplicates written by another person).
LEGAL_FORM_VARIANTS = {
    "GmbH": ["G.m.b.H.", "Gmbh", "GMBH", "Gesellschaft mit beschränkter Haftung"],
    "GmbH & Co. KG": ["GmbH & Co KG", "GmbH u. Co. KG", "GmbH + Co. KG", "GmbH&Co.KG"],
    "AG": ["Aktiengesellschaft", "A.G."],
    "KG": ["K.G.", "Kommanditgesellschaft"],
    "e.K.": ["eK", "e. K.", "e.Kfm."],
    "UG (haftungsbeschränkt)": ["UG (haftungsbeschraenkt)", "UG", "UG (h.b.)"],
    "OHG": ["oHG", "O.H.G."],
    "e.U.": ["eU"],
    "OG": ["O.G."],
    "Genossenschaft": ["Gen."],
}

# Surnames that are spelled in several ways; a duplicate picks another spelling.
SURNAME_GROUPS = [
    ["Meier", "Meyer", "Maier", "Mayer", "Mayr"],
    ["Müller", "Mueller", "Muller", "Möller"],
    ["Schmidt", "Schmitt", "Schmid", "Schmitz"],
    ["Schulz", "Schultz", "Schulze"],
    ["Hoffmann", "Hofmann", "Hoffman"],
    ["Wolf", "Wolff"],
    ["Krause", "Kraus"],
    ["Kühn", "Kuehn", "Kuhn"],
    ["Fischer", "Fischr", "Fisher"],
    ["Weiß", "Weiss", "Weis"],
    ["Strauß", "Strauss", "Straus"],
    ["Groß", "Gross", "Grohs"],
    ["Schäfer", "Schaefer", "Schaeffer", "Schäffer"],
    ["Vogt", "Voigt", "Vogd"],
    ["Peters", "Petersen", "Peter"],
]

# (city, ZIP low, ZIP high, phone area code without the leading 0)
CITIES = {
    "DE": [
        ("Berlin", 10115, 14199, "30"),
        ("Hamburg", 20095, 22769, "40"),
        ("München", 80331, 81929, "89"),
        ("Köln", 50667, 51149, "221"),
        ("Frankfurt am Main", 60306, 60599, "69"),
        ("Stuttgart", 70173, 70629, "711"),
        ("Düsseldorf", 40210, 40629, "211"),
        ("Leipzig", 4103, 4357, "341"),
        ("Dortmund", 44135, 44388, "231"),
        ("Essen", 45127, 45359, "201"),
        ("Bremen", 28195, 28779, "421"),
        ("Dresden", 1067, 1328, "351"),
        ("Hannover", 30159, 30669, "511"),
        ("Nürnberg", 90402, 90491, "911"),
        ("Duisburg", 47051, 47279, "203"),
        ("Bochum", 44787, 44894, "234"),
        ("Wuppertal", 42103, 42399, "202"),
        ("Bielefeld", 33602, 33739, "521"),
        ("Bonn", 53111, 53229, "228"),
        ("Münster", 48143, 48167, "251"),
        ("Karlsruhe", 76131, 76229, "721"),
        ("Mannheim", 68159, 68309, "621"),
        ("Augsburg", 86150, 86199, "821"),
        ("Wiesbaden", 65183, 65207, "611"),
        ("Freiburg im Breisgau", 79098, 79117, "761"),
        ("Regensburg", 93047, 93059, "941"),
        ("Würzburg", 97070, 97084, "931"),
        ("Ulm", 89073, 89081, "731"),
        ("Kassel", 34117, 34134, "561"),
        ("Osnabrück", 49074, 49090, "541"),
        ("Erfurt", 99084, 99099, "361"),
        ("Rostock", 18055, 18147, "381"),
        ("Kiel", 24103, 24159, "431"),
        ("Magdeburg", 39104, 39130, "391"),
        ("Mainz", 55116, 55131, "6131"),
        ("Saarbrücken", 66111, 66133, "681"),
        ("Paderborn", 33098, 33106, "5251"),
        ("Ingolstadt", 85049, 85057, "841"),
        ("Heilbronn", 74072, 74081, "7131"),
        ("Göttingen", 37073, 37085, "551"),
        ("Gütersloh", 33330, 33335, "5241"),
        ("Bad Homburg vor der Höhe", 61348, 61352, "6172"),
    ],
    "AT": [
        ("Wien", 1010, 1230, "1"),
        ("Graz", 8010, 8055, "316"),
        ("Linz", 4020, 4040, "732"),
        ("Salzburg", 5020, 5026, "662"),
        ("Innsbruck", 6020, 6080, "512"),
        ("Klagenfurt am Wörthersee", 9020, 9073, "463"),
        ("Villach", 9500, 9524, "4242"),
        ("Wels", 4600, 4600, "7242"),
        ("St. Pölten", 3100, 3107, "2742"),
        ("Dornbirn", 6850, 6850, "5572"),
    ],
    "CH": [
        ("Zürich", 8001, 8057, "44"),
        ("Basel", 4001, 4059, "61"),
        ("Bern", 3001, 3027, "31"),
        ("Luzern", 6003, 6006, "41"),
        ("St. Gallen", 9000, 9016, "71"),
        ("Winterthur", 8400, 8411, "52"),
        ("Zug", 6300, 6300, "41"),
        ("Aarau", 5000, 5004, "62"),
        ("Schaffhausen", 8200, 8200, "52"),
        ("Chur", 7000, 7000, "81"),
    ],
}
COUNTRY_WEIGHTS = [("DE", 80), ("AT", 12), ("CH", 8)]
PHONE_PREFIX = {"DE": "+49", "AT": "+43", "CH": "+41"}
TLD = {"DE": "de", "AT": "at", "CH": "ch"}
TIMEZONES = {"DE": "Europe/Berlin", "AT": "Europe/Vienna", "CH": "Europe/Zurich"}

STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenstraße",
    "Schulstraße",
    "Dorfstraße",
    "Bergstraße",
    "Lindenstraße",
    "Kirchstraße",
    "Waldstraße",
    "Ringstraße",
    "Goethestraße",
    "Schillerstraße",
    "Mozartstraße",
    "Industriestraße",
    "Gewerbestraße",
    "Friedrichstraße",
    "Kaiserstraße",
    "Lessingstraße",
    "Feldstraße",
    "Poststraße",
    "Mühlenweg",
    "Birkenweg",
    "Rosenweg",
    "Am Marktplatz",
    "Im Gewerbepark",
    "Carl-Benz-Straße",
    "Robert-Bosch-Straße",
    "Siemensstraße",
    "Max-Planck-Straße",
    "Königsallee",
]

FUNCTIONS = [
    "Geschäftsführer",
    "Geschäftsführerin",
    "Einkaufsleiter",
    "Leiterin Einkauf",
    "Vertriebsleiter",
    "Technischer Leiter",
    "Assistenz der Geschäftsführung",
    "Prokurist",
    "Projektleiterin",
    "Leiter Instandhaltung",
    "Buchhaltung",
    "Werksleiter",
    "Inhaber",
    "Disponentin",
]

PRODUCT_GROUPS = [
    ("Hydraulikpumpe", 850),
    ("Steuerungseinheit", 2400),
    ("Servomotor", 1300),
    ("Förderband", 5200),
    ("Sensorpaket", 390),
    ("Schaltschrank", 3100),
    ("Ersatzteilset", 145),
    ("Wartungsvertrag", 1800),
    ("Schulung", 950),
    ("Inbetriebnahme", 1200),
    ("Softwarelizenz", 690),
    ("Kalibrierung", 280),
    ("Druckluftkompressor", 4300),
    ("Frequenzumrichter", 760),
    ("Kabelsatz", 85),
    ("Montagestunden", 78),
    ("Schutzgitter", 410),
    ("Palettenregal", 620),
    ("Industrie-PC", 1900),
    ("Dichtungssatz", 35),
]
PRODUCT_VARIANTS = ["Basic", "Standard", "Plus", "Pro", "XL", "Kompakt", "Edelstahl", "S2", "M4", "Premium"]

ACTIVITY_SUMMARIES = [
    "Bedarf besprochen",
    "Angebot nachgefasst",
    "Termin vereinbart",
    "Rückruf wegen Preisanfrage",
    "Produktpräsentation durchgeführt",
    "Unterlagen zugesandt",
    "Entscheider erreicht",
    "Reklamation geklärt",
    "Jahresgespräch geführt",
    "Muster verschickt",
    "Referenzbesuch organisiert",
    "Rahmenvertrag besprochen",
    "Liefertermin abgestimmt",
    "Preisverhandlung",
    "Messegespräch nachbereitet",
]

UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


# ------------------------------------------------------------------------------------------------
# Basic helpers
# ------------------------------------------------------------------------------------------------
def weighted(rng, pairs):
    """Pick the first item of one of ``pairs`` [(item, weight), ...]."""
    total = sum(w for _i, w in pairs)
    x = rng.uniform(0, total)
    for item, w in pairs:
        x -= w
        if x <= 0:
            return item
    return pairs[-1][0]


def transliterate(text):
    """German umlauts spelled out (ä → ae, ß → ss), as in e-mail addresses."""
    return "".join(UMLAUTS.get(c, c) for c in text)


@functools.lru_cache(maxsize=4096)
def slug(text):
    """ASCII, lower case, only letters/digits/hyphens: for domains and mailbox names."""
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text


def company_name(surname, branch, legal_form):
    return f"{surname} {branch} {legal_form}"


def street_line(rng, country):
    street = rng.choice(STREETS)
    if country == "CH":
        street = street.replace("ß", "ss")  # no ß in Switzerland
    number = rng.randint(1, 180)
    if rng.random() < 0.08:
        number = f"{number}{rng.choice('abc')}"
    return f"{street} {number}"


def zip_code(rng, country, low, high):
    value = rng.randint(low, high)
    return f"{value:05d}" if country == "DE" else f"{value:04d}"


def phone_number(rng, country, area):
    """International format as people type it: +49 89 1234567, +43 1 5123456, +41 44 123 45 67."""
    prefix = PHONE_PREFIX[country]
    if country == "CH":
        return f"{prefix} {area} {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    digits = rng.randint(5, 8) if len(area) <= 3 else rng.randint(4, 6)
    return f"{prefix} {area} {rng.randint(2 * 10 ** (digits - 1), 10 ** digits - 1)}"


def mobile_number(rng, country):
    if country == "DE":
        return f"+49 1{rng.choice(['51', '52', '60', '62', '70', '71', '75', '76'])} {rng.randint(1000000, 99999999)}"
    if country == "AT":
        return f"+43 6{rng.choice(['64', '60', '76', '99'])} {rng.randint(1000000, 9999999)}"
    return (
        f"+41 7{rng.choice(['6', '7', '8', '9'])} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )


def sanitize_phone(phone):
    """E.164 as Odoo's phone_sanitized stores it (+49891234567), for international input."""
    return re.sub(r"[^+0-9]", "", phone) if phone and phone.startswith("+") else None


# ------------------------------------------------------------------------------------------------
# VAT numbers (USt-IdNr., UID, MWST)
# ------------------------------------------------------------------------------------------------
def de_vat_check_digit(digits8):
    """Check digit of a German USt-IdNr. (ISO 7064 MOD 11,10) for its first 8 digits."""
    product = 10
    for char in digits8:
        total = (int(char) + product) % 10
        if total == 0:
            total = 10
        product = (2 * total) % 11
    check = 11 - product
    return 0 if check == 10 else check


def de_vat(rng, valid=True):
    """DE + 9 digits; ``valid=False`` gives a wrong check digit (a typo as it happens in real data)."""
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _i in range(7))
    check = de_vat_check_digit(digits)
    if not valid:
        check = (check + rng.randint(1, 9)) % 10
    return f"DE{digits}{check}"


def is_valid_de_vat(vat):
    vat = (vat or "").replace(" ", "").upper()
    if not re.fullmatch(r"DE[1-9][0-9]{8}", vat):
        return False
    return de_vat_check_digit(vat[2:10]) == int(vat[10])


def luhn_checksum(digits):
    """Luhn checksum of ``digits`` (rightmost digit not doubled), as stdnum.luhn.checksum."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10


def at_vat(rng):
    """ATU + 8 digits, the last one the Austrian UID check digit."""
    digits = "".join(str(rng.randint(0, 9)) for _i in range(7))
    return f"ATU{digits}{(6 - luhn_checksum(digits)) % 10}"


def ch_vat(rng):
    """CHE-123.456.789 MWST with the Swiss UID check digit (mod 11, 10 is never issued)."""
    while True:
        digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _i in range(7))
        weights = (5, 4, 3, 2, 7, 6, 5, 4)
        check = (11 - sum(w * int(d) for w, d in zip(weights, digits, strict=True))) % 11
        if check != 10:
            number = digits + str(check)
            return f"CHE-{number[:3]}.{number[3:6]}.{number[6:]} MWST"


# ------------------------------------------------------------------------------------------------
# Misspellings: how the same customer gets typed a second time
# ------------------------------------------------------------------------------------------------
def surname_variant(rng, surname):
    """Another spelling of ``surname`` (Meier → Meyer, Müller → Mueller), or None."""
    for group in SURNAME_GROUPS:
        if surname in group:
            return rng.choice([s for s in group if s != surname])
    if any(c in surname for c in UMLAUTS):
        return transliterate(surname)
    return None


def sharp_s_variant(text):
    """ß written as ss (Weiß → Weiss, Straße → Strasse), or None if there is no ß."""
    return text.replace("ß", "ss") if "ß" in text else None


def umlaut_variant(text):
    """Umlauts spelled out (Müller → Mueller, Köln → Koeln), or None if there is none."""
    out = transliterate(text)
    return out if out != text else None


def legal_form_variant(rng, name):
    """Another spelling of the legal form at the end of a company name, or None."""
    for form in sorted(LEGAL_FORM_VARIANTS, key=len, reverse=True):
        if name.endswith(" " + form):
            return name[: -len(form)] + rng.choice(LEGAL_FORM_VARIANTS[form])
    return None


def typo(rng, text):
    """One-letter typo: a letter dropped, doubled, swapped with its neighbour or replaced."""
    positions = [i for i, c in enumerate(text) if c.isalpha() and i > 0]
    if len(positions) < 2:
        return text + "e"
    i = rng.choice(positions[:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and text[i + 1].isalpha() and text[i + 1] != text[i]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    neighbours = {
        "a": "s",
        "e": "r",
        "i": "o",
        "o": "i",
        "n": "m",
        "m": "n",
        "r": "t",
        "t": "z",
        "s": "d",
        "l": "k",
        "h": "j",
        "u": "z",
        "c": "v",
        "d": "f",
    }
    char = text[i]
    return text[:i] + neighbours.get(char.lower(), "e") + text[i + 1 :]


def street_variant(street):
    """ "Straße" written as "Str." / "Strasse" (and back), or None if the street has neither."""
    if "straße" in street:
        return street.replace("straße", "str.")
    if "Straße" in street:
        return street.replace("Straße", "Str.")
    if "strasse" in street:
        return street.replace("strasse", "str.")
    if "str." in street:
        return street.replace("str.", "straße")
    return None


COMPANY_KINDS = ["surname", "sharp_s", "umlaut", "legal_form", "typo", "street", "same_email"]
PERSON_KINDS = ["surname", "sharp_s", "umlaut", "swapped", "typo", "same_email"]


def duplicate_company(rng, src):  # noqa: PLR0912 (one branch per kind of misspelling)
    """A second entry of the company ``src`` (a dict with surname, branch, legal_form, name,
    street, email ...) as a colleague would type it. Returns (changes dict, kind)."""
    kinds = COMPANY_KINDS[:]
    rng.shuffle(kinds)
    for kind in kinds:
        changes = {}
        if kind == "surname":
            other = surname_variant(rng, src["surname"])
            if other:
                changes["name"] = company_name(other, src["branch"], src["legal_form"])
        elif kind == "sharp_s":
            other = sharp_s_variant(src["name"])
            if other:
                changes["name"] = other
        elif kind == "umlaut":
            other = umlaut_variant(src["name"])
            if other:
                changes["name"] = other
        elif kind == "legal_form":
            other = legal_form_variant(rng, src["name"])
            if other:
                changes["name"] = other
        elif kind == "typo":
            changes["name"] = company_name(typo(rng, src["surname"]), src["branch"], src["legal_form"])
        elif kind == "street":
            other = street_variant(src["street"])
            if other:
                changes["street"] = other
                # the same company re-entered with its name slightly abbreviated
                changes["name"] = src["name"].replace(" " + src["legal_form"], "")
        elif kind == "same_email":
            if src.get("email"):
                changes["name"] = company_name(src["surname"], rng.choice(BRANCHES), src["legal_form"])
        if changes:
            return changes, kind
    return {"name": typo(rng, src["name"])}, "typo"


def duplicate_person(rng, src):
    """A second entry of the contact person ``src`` (first, last, email ...): (changes, kind)."""
    kinds = PERSON_KINDS[:]
    rng.shuffle(kinds)
    first, last = src["first"], src["last"]
    for kind in kinds:
        name = None
        if kind == "surname":
            other = surname_variant(rng, last)
            name = other and f"{first} {other}"
        elif kind == "sharp_s":
            other = sharp_s_variant(f"{first} {last}")
            name = other
        elif kind == "umlaut":
            name = umlaut_variant(f"{first} {last}")
        elif kind == "swapped":
            name = rng.choice([f"{last} {first}", f"{last}, {first}"])
        elif kind == "typo":
            name = f"{first} {typo(rng, last)}"
        elif kind == "same_email":
            if src.get("email"):
                other = NICKNAMES.get(first) or rng.choice([f for f in FIRST_NAMES if f != first])
                name = f"{other} {last}"
        if name:
            return {"name": name}, kind
    return {"name": f"{first} {typo(rng, last)}"}, "typo"
