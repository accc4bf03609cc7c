"""Duplicate scoring of the information-quality feature (Informationsqualität): plain Python.

Two partners are given as dicts of their keys (``KEYS``: the stored key fields of ``res.partner``
plus ZIP, city, employer and company flag); ``score_pair`` returns the score 0-100 and the reason
flags (``REASON_FIELDS``, the boolean fields of a duplicate pair). No Odoo model here.
"""

import functools

from . import partner_keys

# the stored key fields of res.partner (computed from the partner's data by partner_keys)
KEY_FIELDS = (
    "vertrieb_name_key",
    "vertrieb_phonetic_key",
    "vertrieb_email_key",
    "vertrieb_email_domain",
    "vertrieb_phone_key",
    "vertrieb_vat_key",
    "vertrieb_website_domain",
    "vertrieb_zip_area",
    "vertrieb_street_key",
)
# exact identifiers: equal values are a strong signal (and a block key of the full scan)
EXACT_KEY_FIELDS = ("vertrieb_email_key", "vertrieb_phone_key", "vertrieb_vat_key", "vertrieb_website_domain")
# what score_pair reads of a partner
KEYS = ("id", *KEY_FIELDS, "zip", "city", "parent_id", "is_company")
# the reasons a pair is proposed, in the order they are shown
REASON_FIELDS = (
    "reason_vat",
    "reason_email",
    "reason_phone",
    "reason_website",
    "reason_name",
    "reason_phonetic",
    "reason_address",
)

# A pair is a likely duplicate from this score on (0-100)
DUPLICATE_THRESHOLD = 60
# trigram similarity below which names are not compared further
NAME_SIMILARITY_MIN = 0.3
# similarity from which the trigram index proposes a name as candidate (phonetic keys add the rest)
NAME_SEARCH_THRESHOLD = 0.45
# blocks bigger than this (a very common phonetic key, a shared e-mail) are not expanded to pairs
MAX_BLOCK_SIZE = 50
# a ZIP area's partners sharing one word code (a common surname or trade) compared by name up to this
MAX_WORD_BLOCK_SIZE = 500

# Score of a pair with conflicting facts (two VAT numbers, two employers, two home addresses):
# shown nowhere (below the threshold), the pair is not a duplicate
CONFLICT_SCORE = 40
# Two persons with similar names and nothing else in common than the place (no street, employer,
# company e-mail domain, e-mail or phone): common names repeat, so only a weak candidate
PERSON_NAME_ONLY_MAX = 75
# Name similarity from which two persons' names count (a shared surname alone stays below)
PERSON_NAME_SIMILARITY_MIN = 0.5
# Local parts of role mailboxes shared by a whole organisation (and its branches)
ROLE_MAILBOXES = frozenset(
    """info kontakt office vertrieb einkauf verkauf mail post service sales buero zentrale verwaltung
    anfrage anfragen bestellung rechnung buchhaltung hallo hello team""".split()
)


@functools.lru_cache(maxsize=4096)
def _city_key(city):
    """The city's name key (few cities, compared with every candidate of a search)."""
    return partner_keys.name_key(city)


def _place(a, b):
    """``same`` (same ZIP or city), ``area`` (same ZIP area), ``other`` (both known and different)
    or None (not comparable)."""
    zip_a, zip_b = (a["zip"] or "").strip(), (b["zip"] or "").strip()
    city_a, city_b = _city_key(a["city"]), _city_key(b["city"])
    if (zip_a and zip_a == zip_b) or (city_a and city_a == city_b):
        return "same"
    if a["vertrieb_zip_area"] and a["vertrieb_zip_area"] == b["vertrieb_zip_area"]:
        return "area"
    if (zip_a and zip_b) or (city_a and city_b):
        return "other"
    return None


def _exact_signals(a, b, flags, place):
    """Points of equal identifiers. A website or a role mailbox (info@, kontakt@ ...) is shared by an
    organisation's branches: in another place it is no sign of a duplicate."""
    score = 0
    for fname, flag, points in (
        ("vertrieb_vat_key", "reason_vat", 100),
        ("vertrieb_email_key", "reason_email", 90),
        ("vertrieb_phone_key", "reason_phone", 85),
        ("vertrieb_website_domain", "reason_website", 65),
    ):
        if a[fname] and a[fname] == b[fname]:
            flags[flag] = True
            if place == "other" and (
                fname == "vertrieb_website_domain" or (fname == "vertrieb_email_key" and _role_mailbox(a[fname]))
            ):
                continue
            score = max(score, points)
    return score


def _place_adjustment(a, b, flags, place, persons):
    """Points for the same place, street and company e-mail domain; penalty where they differ."""
    points = {"same": 10, "area": 5, "other": -45, None: 0}[place]  # other place: namesakes
    if place == "same":
        flags["reason_address"] = True
    street_a, street_b = a["vertrieb_street_key"], b["vertrieb_street_key"]
    if street_a and street_a == street_b:
        points += 10 if place != "other" else 0  # a Bahnhofstraße 1 exists in every town
    elif street_a and street_b and not persons:
        points -= 15  # same place, other street: rather a namesake (persons: see score_pair)
    domain_a, domain_b = a["vertrieb_email_domain"], b["vertrieb_email_domain"]
    if domain_a and domain_a == domain_b:
        points += 10
    elif domain_a and domain_b:
        points -= 30  # two different company e-mail domains: two companies
    return points


def _differ(a, b, fname):
    return bool(a[fname] and b[fname] and a[fname] != b[fname])


def _person_conflict(a, b, flags):
    """Facts showing two persons are different people: other employers (other parent companies or
    other company e-mail domains), other home streets or two personal e-mail addresses, unless the
    same e-mail or phone says otherwise; a shared phone line with unrelated names."""
    if flags.get("reason_email"):
        return False
    if not flags.get("reason_phone"):
        return bool(
            (a["parent_id"] and b["parent_id"] and a["parent_id"] != b["parent_id"])
            or _differ(a, b, "vertrieb_email_domain")
            or _differ(a, b, "vertrieb_street_key")
            # two personal mailboxes (hanna.zimmermann@, uwe.zimmermann@): two people
            or (
                _differ(a, b, "vertrieb_email_key")
                and not _role_mailbox(a["vertrieb_email_key"])
                and not _role_mailbox(b["vertrieb_email_key"])
            )
        )
    # only the phone is shared (a switchboard or a shared line): the names must be related
    return not (flags.get("reason_name") or flags.get("reason_phonetic") or _share_word(a, b))


def _company_conflict(a, b, flags):
    """Two companies at other streets with other phone numbers are two establishments, even with
    the same name, website or role mailbox (branches, namesakes), unless the VAT number or a
    personal e-mail address links them."""
    if flags.get("reason_vat") or (flags.get("reason_email") and not _role_mailbox(a["vertrieb_email_key"])):
        return False
    return _differ(a, b, "vertrieb_street_key") and _differ(a, b, "vertrieb_phone_key")


def _role_mailbox(email):
    return bool(email) and email.split("@", 1)[0] in ROLE_MAILBOXES


def _share_word(a, b):
    words_a = set((a["vertrieb_name_key"] or "").split())
    return bool(words_a & set((b["vertrieb_name_key"] or "").split()))


def _person_corroborated(a, b):
    """Something besides name and place links two persons: street, employer or company e-mail domain."""
    return bool(
        (a["vertrieb_street_key"] and a["vertrieb_street_key"] == b["vertrieb_street_key"])
        or (a["parent_id"] and a["parent_id"] == b["parent_id"])
        or (a["vertrieb_email_domain"] and a["vertrieb_email_domain"] == b["vertrieb_email_domain"])
    )


def score_pair(a, b, similarity):
    """Duplicate score 0-100 of two partners' keys and the reason flags.

    ``a``/``b`` are dicts with the ``_KEYS``; ``similarity`` the trigram similarity of the name keys.
    Exact identifiers (VAT, e-mail, phone, website) and similar names at the same place raise the
    score; conflicting facts cap it below the threshold: two different VAT numbers are two legal
    entities, two persons with other employers or other home streets are two people.
    """
    flags = {}
    place = _place(a, b)
    persons = not a.get("is_company") and not b.get("is_company")
    score = _exact_signals(a, b, flags, place)
    name_similarity = similarity or 0.0
    if a["vertrieb_phonetic_key"] and a["vertrieb_phonetic_key"] == b["vertrieb_phonetic_key"]:
        flags["reason_phonetic"] = True
        name_similarity = max(name_similarity, 0.85)
    if similarity and similarity >= 0.5:
        flags["reason_name"] = True
    # persons: a shared surname alone (other first name) is no sign, the names must be close
    if name_similarity >= (PERSON_NAME_SIMILARITY_MIN if persons else NAME_SIMILARITY_MIN):
        name_score = min(name_similarity * 100 + _place_adjustment(a, b, flags, place, persons), 99)
        if persons and not _person_corroborated(a, b):
            name_score = min(name_score, PERSON_NAME_ONLY_MAX)
        score = max(score, name_score)
    if a["vertrieb_vat_key"] and b["vertrieb_vat_key"] and a["vertrieb_vat_key"] != b["vertrieb_vat_key"]:
        score = min(score, CONFLICT_SCORE)
    if _person_conflict(a, b, flags) if persons else _company_conflict(a, b, flags):
        score = min(score, CONFLICT_SCORE)
    return round(min(score, 100), 1), flags
