"""Checks of the generator's pure helpers, without Odoo or a database.

    /work/main/.venv/bin/python -m benchmarks.selftest

Exits non-zero on the first failed check. VAT check digits are compared with python-stdnum
(an Odoo dependency) when it is importable.
"""

import random
import re
import sys

from benchmarks import germandata as g

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"FAIL {message}")


def test_vat():
    rng = random.Random(1)
    # Known valid USt-IdNr. (published examples) and a broken one.
    check(g.is_valid_de_vat("DE136695976"), "DE136695976 is valid")
    check(not g.is_valid_de_vat("DE136695977"), "DE136695977 has a wrong check digit")
    check(not g.is_valid_de_vat("DE036695976"), "a DE VAT cannot start with 0")
    check(not g.is_valid_de_vat("DE13669597"), "a DE VAT has 9 digits")
    try:
        from stdnum.at import uid as at_uid
        from stdnum.ch import vat as ch_vat
        from stdnum.de import vat as de_vat
    except ImportError:
        de_vat = at_uid = ch_vat = None
        print("(python-stdnum not importable: cross-check skipped)")
    for _i in range(2000):
        good, bad = g.de_vat(rng, True), g.de_vat(rng, False)
        check(g.is_valid_de_vat(good), f"{good} generated valid")
        check(not g.is_valid_de_vat(bad), f"{bad} generated invalid")
        if de_vat:
            check(de_vat.is_valid(good), f"stdnum accepts {good}")
            check(not de_vat.is_valid(bad), f"stdnum rejects {bad}")
        at, ch = g.at_vat(rng), g.ch_vat(rng)
        check(re.fullmatch(r"ATU\d{8}", at), f"{at} format")
        check(re.fullmatch(r"CHE-\d{3}\.\d{3}\.\d{3} MWST", ch), f"{ch} format")
        if at_uid:
            check(at_uid.is_valid(at), f"stdnum accepts {at}")
            check(ch_vat.is_valid(ch), f"stdnum accepts {ch}")
        if FAILURES:
            return


def test_misspellings():
    rng = random.Random(2)
    check(g.surname_variant(rng, "Meier") in {"Meyer", "Maier", "Mayer", "Mayr"}, "Meier variant")
    check(g.surname_variant(rng, "Müller") in {"Mueller", "Muller", "Möller"}, "Müller variant")
    check(g.surname_variant(rng, "Schmidt") in {"Schmitt", "Schmid", "Schmitz"}, "Schmidt variant")
    check(g.surname_variant(rng, "Köhler") == "Koehler", "umlaut spelled out when no group")
    check(g.surname_variant(rng, "Otto") is None, "no variant for Otto")
    check(g.sharp_s_variant("Strauß Druck GmbH") == "Strauss Druck GmbH", "ß → ss")
    check(g.sharp_s_variant("Otto") is None, "no ß")
    check(g.umlaut_variant("Müller Bau AG") == "Mueller Bau AG", "umlaut spelled out")
    check(g.street_variant("Hauptstraße 5") == "Hauptstr. 5", "Straße → Str.")
    check(g.street_variant("Bahnhofstrasse 5") == "Bahnhofstr. 5", "strasse → str.")
    check(g.street_variant("Am Marktplatz 1") is None, "no street variant")
    check(
        g.legal_form_variant(rng, "Weber Bau GmbH & Co. KG").startswith("Weber Bau GmbH"),
        "legal form variant keeps the name",
    )
    check(
        g.legal_form_variant(rng, "Weber Bau GmbH & Co. KG") != "Weber Bau GmbH & Co. KG", "legal form variant differs"
    )
    check(g.legal_form_variant(rng, "Weber Bau") is None, "no legal form")
    for _i in range(500):
        word = rng.choice(g.SURNAMES)
        out = g.typo(rng, word)
        check(out != word or len(set(word)) == 1, f"typo changes {word}")
        check(abs(len(out) - len(word)) <= 1, f"typo of {word} is one letter: {out}")
    src = {
        "surname": "Weiß",
        "branch": "Möbelwerkstätten",
        "legal_form": "GmbH",
        "name": "Weiß Möbelwerkstätten GmbH",
        "street": "Hauptstraße 12",
        "email": "info@meier-logistik.de",
    }
    kinds = set()
    for _i in range(300):
        changes, kind = g.duplicate_company(rng, src)
        kinds.add(kind)
        check(changes and any(src.get(k) != v for k, v in changes.items()), f"company duplicate differs ({kind})")
    check(kinds == set(g.COMPANY_KINDS), f"all company duplicate kinds used: {kinds}")
    person = {"first": "Hans", "last": "Müller", "email": "hans.mueller@x.de"}
    kinds = set()
    for _i in range(300):
        changes, kind = g.duplicate_person(rng, person)
        kinds.add(kind)
        check(changes["name"] != "Hans Müller", f"person duplicate differs ({kind})")
    check(kinds >= {"surname", "umlaut", "swapped", "typo", "same_email"}, f"person kinds: {kinds}")


def test_addresses():
    rng = random.Random(3)
    for country, cities in g.CITIES.items():
        for city, low, high, area in cities:
            zip_ = g.zip_code(rng, country, low, high)
            check(len(zip_) == (5 if country == "DE" else 4) and zip_.isdigit(), f"ZIP {zip_} of {city}")
            phone = g.phone_number(rng, country, area)
            check(phone.startswith(g.PHONE_PREFIX[country] + " " + area + " "), f"phone {phone} of {city}")
            check(re.fullmatch(r"\+\d+", g.sanitize_phone(phone)), f"sanitized {phone}")
            street = g.street_line(rng, country)
            check(country != "CH" or "ß" not in street, f"no ß in Swiss street {street}")
    check(g.slug("Müller & Söhne Bau GmbH") == "mueller-soehne-bau-gmbh", "slug")
    check(g.transliterate("Größe") == "Groesse", "transliterate")


def main():
    test_vat()
    test_misspellings()
    test_addresses()
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("selftest OK")


if __name__ == "__main__":
    main()
