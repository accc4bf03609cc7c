from odoo.tests import TransactionCase, tagged

from ...tools import partner_keys, validators


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityValidators(TransactionCase):
    """Each validator with real-format German, Austrian and Swiss samples, valid and invalid."""

    def test_email(self):
        for valid in ("info@mueller-bau.de", "k.schmidt@stadtwerke-graz.at", "verkauf@migros.ch"):
            self.assertFalse(validators.check_email(self.env, valid), valid)
        for invalid in ("info@", "mueller bau@de", "info@@firma.de", "ä" * 300 + "@x.de"):
            reason = validators.check_email(self.env, invalid)
            self.assertTrue(reason, invalid)
            self.assertIn("invalid", reason)

    def test_phone(self):
        valid = [("+49 30 901820", "DE"), ("0711 2160", "DE"), ("+43 1 53114", "AT"), ("044 668 18 00", "CH")]
        for number, country in valid:
            self.assertFalse(validators.check_phone(self.env, number, country), number)
        for number, country in [("0711", "DE"), ("+49 123", "DE"), ("+43 1 2345678901234567", "AT"), ("abc", "CH")]:
            reason = validators.check_phone(self.env, number, country)
            self.assertTrue(reason, number)
            self.assertIn(number, reason)

    def test_vat(self):
        for vat, country in [
            ("DE136695976", "DE"),
            ("DE 136 695 976", "DE"),
            ("ATU13585627", "AT"),
            ("CHE-116.281.710 MWST", "CH"),
            ("136695976", "DE"),  # no prefix: the partner's country is used
        ]:
            self.assertFalse(validators.check_vat(self.env, vat, country), vat)
        self.assertIn("check digit", validators.check_vat(self.env, "DE136695977", "DE"))
        self.assertIn("check digit", validators.check_vat(self.env, "ATU13585626", "AT"))
        self.assertIn("wrong length", validators.check_vat(self.env, "DE13669597", "DE"))
        self.assertTrue(validators.check_vat(self.env, "CHE-116.281.711", "CH"))
        self.assertIn("country code", validators.check_vat(self.env, "123456789", False))
        self.assertIn("unknown country code", validators.check_vat(self.env, "QQ123", "DE"))

    def test_iban(self):
        for iban in ("DE89 3704 0044 0532 0130 00", "AT611904300234573201", "CH9300762011623852957"):
            self.assertFalse(validators.check_iban(self.env, iban), iban)
        self.assertIn("check digit", validators.check_iban(self.env, "DE89370400440532013001"))
        self.assertIn("invalid", validators.check_iban(self.env, "AT61190430023457320"))
        self.assertFalse(validators.check_iban(self.env, "0532013000"), "national account numbers are not IBANs")

    def test_zip(self):
        for zip_code, country in [("70565", "DE"), ("01067", "DE"), ("1010", "AT"), ("8001", "CH"), ("1234 AB", "NL")]:
            self.assertFalse(validators.check_zip(self.env, zip_code, country), zip_code)
        for zip_code, country in [("7056", "DE"), ("A-1010", "AT"), ("80011", "CH"), ("D-70565", "DE")]:
            self.assertIn("invalid", validators.check_zip(self.env, zip_code, country), zip_code)
        self.assertFalse(validators.check_zip(self.env, "anything", False), "no country: nothing to check")

    def test_name_key(self):
        cases = {
            "Müller Bau GmbH & Co. KG": "mueller bau",
            "MUELLER-BAU GmbH": "mueller bau",
            "Bäckerei Groß e.K.": "baeckerei gross",
            "Schmitt UG (haftungsbeschränkt)": "schmitt",
            "Weber Logistik mbH": "weber logistik",
            "Huber Ltd.": "huber",
            "Berger OHG": "berger",
            "Zürcher Kantonalbank AG": "zuercher kantonalbank",
            "Hauptstraße Immobilien": "hauptstr immobilien",
            "Hauptstr. Immobilien": "hauptstr immobilien",
            "Café Crème": "cafe creme",
        }
        for name, key in cases.items():
            self.assertEqual(partner_keys.name_key(name), key, name)
        self.assertFalse(partner_keys.name_key(""))
        self.assertFalse(partner_keys.name_key(None))
        self.assertFalse(partner_keys.name_key("!!! ???"))
        self.assertLessEqual(len(partner_keys.name_key("Sehr langer Name " * 100)), partner_keys.MAX_KEY_LENGTH)

    def test_cologne_phonetics(self):
        cases = {
            "Müller-Lüdenscheidt": "65752682",
            "Wikipedia": "3412",
            "Meier": "67",
            "Meyer": "67",
            "Maier": "67",
            "Mayr": "67",
            "Schmidt": "862",
            "Schmitt": "862",
            "Christoph": "47823",
            "Philipp": "351",
            "Axel": "0485",
            "Breschnew": "17863",
        }
        for word, code in cases.items():
            self.assertEqual(partner_keys.cologne_phonetics(word), code, word)
        self.assertEqual(partner_keys.cologne_phonetics(""), "")
        self.assertEqual(partner_keys.phonetic_key("Meier, Hans"), partner_keys.phonetic_key("Hans Meyer"))
        self.assertNotEqual(partner_keys.phonetic_key("Hans Meier"), partner_keys.phonetic_key("Hans Müller"))

    def test_other_keys(self):
        self.assertEqual(partner_keys.email_domain("Info@Mueller-Bau.de"), "mueller-bau.de")
        self.assertFalse(partner_keys.email_domain("max@gmail.com"), "freemail domains are no signal")
        self.assertEqual(partner_keys.website_domain("https://www.mueller-bau.de/kontakt"), "mueller-bau.de")
        self.assertEqual(partner_keys.website_domain("mueller-bau.de"), "mueller-bau.de")
        self.assertEqual(
            partner_keys.phone_key("0711 / 12 34 56", "DE"), partner_keys.phone_key("+49 711 123456", "DE")
        )
        self.assertEqual(partner_keys.vat_key("de 136.695.976"), "DE136695976")
        self.assertEqual(partner_keys.zip_area("70565", "DE"), "DE-705")
        self.assertFalse(partner_keys.zip_area("", "DE"))
        self.assertEqual(validators.phone_country("+43 1 53114"), "AT")
        self.assertFalse(validators.phone_country("0711 2160"))
