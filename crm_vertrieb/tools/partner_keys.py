"""Keys for duplicate detection (information quality): normalised name key, Kölner Phonetik,
e-mail/website domains, sanitised phone, compact VAT and the ZIP area used as block key.
Plain Python, no Odoo model."""

import re
import unicodedata
from urllib.parse import urlsplit

from odoo.tools import email_normalize

try:
    import phonenumbers
except ImportError:  # pragma: no cover - declared in external_dependencies
    phonenumbers = None


MAX_KEY_LENGTH = 200

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "œ": "oe"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# legal forms, as token sequences after folding (longest first)
_LEGAL_FORM_SEQUENCES = [
    ("gmbh", "und", "co", "kgaa"),
    ("gmbh", "und", "co", "kg"),
    ("gmbh", "und", "co", "ohg"),
    ("ag", "und", "co", "kg"),
    ("ug", "haftungsbeschraenkt", "und", "co", "kg"),
    ("ug", "haftungsbeschraenkt"),
    ("gmbh", "co", "kg"),
    ("ges", "m", "b", "h"),
    ("gesellschaft", "mit", "beschraenkter", "haftung"),
    ("e", "kfm"),
    ("e", "kfr"),
    ("e", "k"),
    ("e", "v"),
    ("e", "g"),
]
_LEGAL_FORM_TOKENS = {
    "gmbh",
    "mbh",
    "mbb",
    "gesmbh",
    "aktiengesellschaft",
    "ag",
    "kg",
    "kgaa",
    "ohg",
    "ug",
    "gbr",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
    "se",
    "ek",
    "eg",
    "ev",
    "sarl",
    "sagl",
}
_STREET = re.compile(r"(strasse|str)\b")

FREEMAIL_DOMAINS = frozenset(
    """gmail.com googlemail.com web.de gmx.de gmx.net gmx.at gmx.ch t-online.de yahoo.com yahoo.de
    hotmail.com hotmail.de outlook.com outlook.de live.com live.de icloud.com me.com aol.com
    freenet.de posteo.de mailbox.org bluewin.ch aon.at arcor.de online.de mail.de protonmail.com
    proton.me example.com""".split()
)


def fold(text):
    """Lower-case, umlauts and ß spelled out (ä→ae, ß→ss), remaining accents removed."""
    text = (text or "").lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _tokens(text):
    text = fold(text).replace("&", " und ").replace("+", " und ")
    return [tok for tok in _NON_ALNUM.split(text) if tok]


def _drop_legal_forms(tokens):
    result, i = [], 0
    while i < len(tokens):
        for seq in _LEGAL_FORM_SEQUENCES:
            if tuple(tokens[i : i + len(seq)]) == seq:
                i += len(seq)
                break
        else:
            if tokens[i] not in _LEGAL_FORM_TOKENS:
                result.append(tokens[i])
            i += 1
    return result


def name_key(name):
    """Normalised name key: folded, legal forms and punctuation removed, Straße → str."""
    tokens = _drop_legal_forms(_tokens(name))
    if tokens and tokens[-1] == "und":  # "Meier & Co" → "meier und" → "meier"
        tokens.pop()
    tokens = [tok for tok in tokens if tok != "co"] or tokens
    key = _STREET.sub("str", " ".join(tokens))
    return key[:MAX_KEY_LENGTH] or False


def street_key(street):
    key = _STREET.sub("str", " ".join(_tokens(street)))
    return key[:MAX_KEY_LENGTH] or False


_COLOGNE_SIMPLE = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}


def _cologne_c(prev, nxt, first):
    if first:
        return "4" if nxt and nxt in "ahkloqrux" else "8"
    if prev in ("s", "z"):
        return "8"
    return "4" if nxt and nxt in "ahkoqux" else "8"


def _cologne_code(ch, prev, nxt, first):
    """Code of one letter in its context; H (and anything not a letter) has none."""
    if ch == "c":
        return _cologne_c(prev, nxt, first)
    if ch == "p":
        return "3" if nxt == "h" else "1"
    if ch in ("d", "t"):
        return "8" if nxt and nxt in "csz" else "2"
    if ch == "x":
        return "8" if prev and prev in "ckq" else "48"
    return _COLOGNE_SIMPLE.get(ch, "")


def cologne_phonetics(word):
    """Kölner Phonetik (Postel 1969) of one word, e.g. Meier/Meyer/Maier → '67'."""
    letters = [ch for ch in fold(word) if "a" <= ch <= "z"]
    codes = [
        _cologne_code(ch, letters[i - 1] if i else "", letters[i + 1] if i + 1 < len(letters) else "", i == 0)
        for i, ch in enumerate(letters)
    ]
    # collapse adjacent equal codes (H has no code and does not separate), then drop "0" except first
    result = []
    for code in codes:
        for digit in code:
            if result and result[-1] == digit:
                continue
            result.append(digit)
    if not result:
        return ""
    return result[0] + "".join(d for d in result[1:] if d != "0")


def phonetic_key(name):
    """Sorted Kölner-Phonetik codes of the name key's words (swapped first/last names match)."""
    key = name_key(name)
    if not key:
        return False
    codes = sorted({cologne_phonetics(tok) for tok in key.split() if not tok.isdigit()} - {""})
    return " ".join(codes)[:MAX_KEY_LENGTH] or False


def email_key(email):
    return email_normalize(email or "") or False


def email_domain(email):
    """Domain of the e-mail address, False for freemail providers (they say nothing)."""
    normalized = email_key(email)
    if not normalized or "@" not in normalized:
        return False
    domain = normalized.rsplit("@", 1)[1]
    return False if domain in FREEMAIL_DOMAINS else domain


def website_domain(website):
    if not website:
        return False
    website = website.strip().lower()
    if "://" not in website:
        website = "http://" + website
    try:
        host = urlsplit(website).hostname or ""
    except ValueError:
        return False
    host = host.removeprefix("www.")
    return host if "." in host else False


def phone_key(number, country_code=None):
    """E.164 form of a phone number if it parses, else its digits (at least 6) or False."""
    if not number:
        return False
    if phonenumbers:
        try:
            parsed = phonenumbers.parse(number, country_code or None)
            if phonenumbers.is_possible_number(parsed):
                return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            digits = re.sub(r"\D", "", number)
            return digits if len(digits) >= 6 else False
    digits = re.sub(r"\D", "", number)
    return digits if len(digits) >= 6 else False


def vat_key(vat):
    key = re.sub(r"[^A-Z0-9]", "", (vat or "").upper())
    return key or False


def zip_area(zip_code, country_code):
    """Block key: country and the first three ZIP characters ('DE-705'); False without country."""
    key = re.sub(r"[^A-Z0-9]", "", (zip_code or "").upper())[:3]
    return f"{country_code}-{key}" if country_code and len(key) == 3 else False
