import logging

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users
from odoo.tools import SQL

from ..common import VertriebCommon

_logger = logging.getLogger(__name__)

# (name, street, zip, city, country, extra) per contact
DE, AT, CH = "de", "at", "ch"


def c(name, street, zip_code, city, country=DE, **extra):
    return {"name": name, "street": street, "zip": zip_code, "city": city, "country": country, **extra}


DUPLICATES = [
    (
        c("Müller Bau GmbH", "Industriestraße 12", "70565", "Stuttgart"),
        c("Mueller Bau GmbH", "Industriestr. 12", "70565", "Stuttgart"),
    ),
    (
        c("Bäckerei Groß e.K.", "Marienplatz 1", "80331", "München"),
        c("Baeckerei Gross", "Marienplatz 1", "80331", "München"),
    ),
    (c("Hans Meier", "Torstraße 5", "10115", "Berlin"), c("Hans Meyer", "Torstr. 5", "10115", "Berlin")),
    (c("Franz Maier", "Graben 3", "1010", "Wien", AT), c("Franz Meier", "Graben 3", "1010", "Wien", AT)),
    (
        c("Schmidt Elektro GmbH", "Hohe Straße 40", "50667", "Köln"),
        c("Schmitt Elektro GmbH", "Hohe Str. 40", "50667", "Köln"),
    ),
    (c("Petra Schmidt", "Mönckebergstraße 7", "20095", "Hamburg"), c("Petra Schmitt", "", "20095", "Hamburg")),
    (c("Meier, Klaus", "Prager Straße 2", "01069", "Dresden"), c("Klaus Meier", "Prager Str. 2", "01069", "Dresden")),
    (c("Weber Anna", "Grimmaische Straße 9", "04109", "Leipzig"), c("Anna Weber", "", "04109", "Leipzig")),
    (
        c("Hofmann Logistik GmbH", "Hafenstraße 1", "90402", "Nürnberg"),
        c("Hofmann Logistik GmbH & Co. KG", "Hafenstraße 1", "90402", "Nürnberg"),
    ),
    (
        c("Zimmermann AG", "Am Markt 4", "28195", "Bremen"),
        c("Zimmermann Aktiengesellschaft", "Am Markt 4", "28195", "Bremen"),
    ),
    (
        c("Schulz UG (haftungsbeschränkt)", "Lange Straße 8", "26122", "Oldenburg"),
        c("Schulz UG", "Lange Str. 8", "26122", "Oldenburg"),
    ),
    (c("Krüger OHG", "Georgstraße 20", "30159", "Hannover"), c("Krueger oHG", "Georgstr. 20", "30159", "Hannover")),
    (
        c("Schneider Maschinenbau", "Maximilianstraße 3", "86150", "Augsburg"),
        c("Schnieder Maschinenbau", "", "86150", "Augsburg"),
    ),
    (
        c("Fischer Sanitärtechnik", "Kaiser-Joseph-Straße 1", "79098", "Freiburg"),
        c("Fischer Sanitaertechnik", "", "79098", "Freiburg"),
    ),
    (
        c("Wagner Haustechnik", "Münsterplatz 2", "89073", "Ulm"),
        c("Wagener Haustechnik", "Münsterplatz 2", "89073", "Ulm"),
    ),
    (
        c("Becker & Söhne", "Ludwigsstraße 6", "55116", "Mainz"),
        c("Becker und Söhne", "Ludwigsstr. 6", "55116", "Mainz"),
    ),
    (
        c("Tischlerei Lang", "Königsplatz 1", "34117", "Kassel", email="info@tischlerei-lang.de"),
        c("Lang Holzbau", "", "34119", "Kassel", email="Info@Tischlerei-Lang.de"),
    ),
    (
        c("Andreas Wolf", "Schloßstraße 3", "66111", "Saarbrücken", email="a.wolf@wolf-it.de"),
        c("A. Wolf IT-Service", "", "", "", email="a.wolf@wolf-it.de"),
    ),
    (
        c("Kaiser Druck", "Sendlinger Straße 9", "80331", "München", phone="+49 89 2345678"),
        c("Druckerei Kaiser & Partner", "", "81369", "München", phone="089 2345678"),
    ),
    (
        c("Vogel Handels GmbH", "Zeil 10", "60313", "Frankfurt", vat="DE136695976"),
        c("Vogel Handel", "", "", "", vat="DE 136 695 976"),
    ),
    (
        c("Braun Optik", "Bahnhofstraße 4", "97070", "Würzburg", website="www.braun-optik.de"),
        c("Optik-Studio am Dom", "Domstraße 1", "97070", "Würzburg", website="https://braun-optik.de/filiale"),
    ),
    (
        c("Zürcher Treuhand AG", "Bahnhofstrasse 50", "8001", "Zürich", CH),
        c("Zuercher Treuhand", "Bahnhofstr. 50", "8001", "Zürich", CH),
    ),
    (
        c("Steirische Holz GmbH", "Herrengasse 1", "8010", "Graz", AT),
        c("Steirische Holz Ges.m.b.H.", "Herrengasse 1", "8010", "Graz", AT),
    ),
    (
        c("Jäger Reisen", "Maria-Theresien-Straße 2", "6020", "Innsbruck", AT),
        c("Jaeger Reisen", "", "6020", "Innsbruck", AT),
    ),
    (
        c("Huber Landtechnik", "Münchener Straße 3", "83022", "Rosenheim"),
        c("Hueber Landtechnik", "Münchener Str. 3", "83022", "Rosenheim"),
    ),
    (
        c("Köhler Metallbau", "Niederwall 1", "33602", "Bielefeld"),
        c("Koehler Metallbau", "Niederwall 1", "33602", "Bielefeld"),
    ),
    (c("Schäfer Gartenbau", "Poppelsdorfer Allee 2", "53115", "Bonn"), c("Schaefer Garten-Bau", "", "53115", "Bonn")),
    (
        c("Richter Steuerberatung", "Brandenburger Straße 5", "14467", "Potsdam"),
        c("Richter Steuerberatungs GmbH", "", "14467", "Potsdam"),
    ),
    (
        c("Klein & Partner", "Kaiserstraße 12", "76133", "Karlsruhe"),
        c("Klein und Partner mbB", "Kaiserstr. 12", "76133", "Karlsruhe"),
    ),
    (
        c("Neumann Sicherheitstechnik", "Holstenstraße 1", "24103", "Kiel"),
        c("Neuman Sicherheitstechnik", "", "24103", "Kiel"),
    ),
    (
        c("Schwarz Immobilien", "Hauptstraße 100", "69117", "Heidelberg"),
        c("Schwartz Immobilien", "Hauptstr. 100", "69117", "Heidelberg"),
    ),
    (
        c("Dr. Thomas Braun", "Domplatz 3", "93047", "Regensburg"),
        c("Thomas Braun", "Domplatz 3", "93047", "Regensburg"),
    ),
    (c("Sabine Hoffmann", "Anger 5", "99084", "Erfurt"), c("Sabine Hofmann", "", "99084", "Erfurt")),
    (
        c("Peter Krause", "Breiter Weg 1", "39104", "Magdeburg"),
        c("Krause, Peter", "Breiter Weg 1", "39104", "Magdeburg"),
    ),
    (
        c("Lorenz Gebäudereinigung", "Straße der Nationen 2", "09111", "Chemnitz"),
        c("Lorenz Gebaeudereinigung GmbH", "", "09111", "Chemnitz"),
    ),
    (c("Hartmann Autohaus", "Kröpeliner Straße 1", "18055", "Rostock"), c("Autohaus Hartmann", "", "18055", "Rostock")),
    (
        c("Werner Spedition", "Hafenweg 2", "48155", "Münster"),
        c("Spedition Werner GmbH", "Hafenweg 2", "48155", "Münster"),
    ),
    (c("Baumann Elektro", "Kieler Straße 4", "23552", "Lübeck"), c("Baumann Elecktro", "", "23552", "Lübeck")),
    (
        c("Simon Consulting", "Königsallee 10", "40212", "Düsseldorf"),
        c("Simon Consulting Ltd.", "Königsallee 10", "40212", "Düsseldorf"),
    ),
    (c("Frank Schuster", "Große Straße 1", "49074", "Osnabrück"), c("Frank Schusster", "", "49074", "Osnabrück")),
    (c("Lehmann Transporte", "Leipziger Straße 3", "06108", "Halle"), c("Lehmann Transport", "", "06108", "Halle")),
    (
        c("Maria König", "Marktplatz 2", "72070", "Tübingen", email="m.koenig@koenig-recht.de"),
        c("Kanzlei König", "", "", "", email="m.koenig@koenig-recht.de"),
    ),
    (
        c("Bäckerei Frey", "Freie Strasse 1", "4051", "Basel", CH),
        c("Baeckerei Frei", "Freie Str. 1", "4051", "Basel", CH),
    ),
    (c("Gruber Installationen", "Landstraße 12", "4020", "Linz", AT), c("Gruber Installation", "", "4020", "Linz", AT)),
]

LOOKALIKES = [
    (
        c("Müller Bau GmbH", "Industriestraße 12", "70565", "Stuttgart"),
        c("Müller Logistik GmbH", "Hafenstraße 3", "20457", "Hamburg"),
    ),
    (
        c("Müller Bau GmbH", "Industriestraße 12", "70565", "Stuttgart"),
        c("Müller Logistik GmbH", "Pragstraße 80", "70376", "Stuttgart"),
    ),
    (
        c("Bäckerei Schmidt", "Torstraße 1", "10119", "Berlin"),
        c("Bäckerei Schmidt", "Leopoldstraße 1", "80802", "München"),
    ),
    (c("Hans Meier", "Torstraße 5", "10115", "Berlin"), c("Hans Meier", "Ehrenstraße 4", "50672", "Köln")),
    (c("Hans Meier", "Torstraße 5", "10115", "Berlin"), c("Peter Meier", "Torstraße 7", "10115", "Berlin")),
    (DUPLICATES[4][0], c("Schmidt Sanitär", "Aachener Straße 3", "50674", "Köln")),
    (DUPLICATES[7][1], c("Anna Weber", "Prager Straße 9", "01069", "Dresden")),
    (DUPLICATES[8][0], c("Hofmann Logistik", "Zeil 5", "60313", "Frankfurt")),
    (
        c("Fischer Sanitärtechnik", "Kaiser-Joseph-Straße 1", "79098", "Freiburg"),
        c("Fischer Elektrotechnik", "Habsburgerstraße 9", "79104", "Freiburg"),
    ),
    (
        c("Wagner Haustechnik", "Münsterplatz 2", "89073", "Ulm"),
        c("Wagner Hausverwaltung", "Olgastraße 1", "89073", "Ulm"),
    ),
    (
        c("Kaiser Druck", "Sendlinger Straße 9", "80331", "München", phone="+49 89 2345678"),
        c("Kaiser Druck", "Königstraße 1", "70173", "Stuttgart", phone="+49 711 765432"),
    ),
    (DUPLICATES[19][0], c("Vogel Handels GmbH", "Maximilianstraße 1", "86150", "Augsburg")),
    (DUPLICATES[20][0], c("Braun Akustik", "Domstraße 9", "97070", "Würzburg")),
    (
        c("Zürcher Treuhand AG", "Bahnhofstrasse 50", "8001", "Zürich", CH),
        c("Zürcher Versicherung AG", "Mythenquai 2", "8002", "Zürich", CH),
    ),
    (
        c("Jäger Reisen", "Maria-Theresien-Straße 2", "6020", "Innsbruck", AT),
        c("Jäger Reinigung", "Museumstraße 5", "6020", "Innsbruck", AT),
    ),
    (
        c("Huber Landtechnik", "Münchener Straße 3", "83022", "Rosenheim"),
        c("Huber Medizintechnik", "Kufsteiner Straße 4", "83022", "Rosenheim"),
    ),
    (
        c("Köhler Metallbau", "Niederwall 1", "33602", "Bielefeld"),
        c("Köhler Holzbau", "Jahnplatz 5", "33602", "Bielefeld"),
    ),
    (
        c("Schäfer Gartenbau", "Poppelsdorfer Allee 2", "53115", "Bonn"),
        c("Schäfer Gartenbau", "Am Wehrhahn 1", "40211", "Düsseldorf"),
    ),
    (
        c("Richter Steuerberatung", "Brandenburger Straße 5", "14467", "Potsdam"),
        c("Richter Rechtsanwälte", "Friedrich-Ebert-Straße 1", "14467", "Potsdam"),
    ),
    (
        c("Klein & Partner", "Kaiserstraße 12", "76133", "Karlsruhe"),
        c("Klein & Söhne", "Waldstraße 3", "76133", "Karlsruhe"),
    ),
    (
        c("Neumann Sicherheitstechnik", "Holstenstraße 1", "24103", "Kiel"),
        c("Neumann Sicherheitstechnik", "Kröpeliner Straße 9", "18055", "Rostock"),
    ),
    (
        c("Schwarz Immobilien", "Hauptstraße 100", "69117", "Heidelberg"),
        c("Schwarz Versicherungen", "Bergheimer Straße 2", "69115", "Heidelberg"),
    ),
    (c("Thomas Braun", "Domplatz 3", "93047", "Regensburg"), c("Tobias Braun", "Domplatz 8", "93047", "Regensburg")),
    (c("Sabine Hoffmann", "Anger 5", "99084", "Erfurt"), c("Sabine Hoffmann", "Alter Markt 1", "39104", "Magdeburg")),
    (c("Peter Krause", "Breiter Weg 1", "39104", "Magdeburg"), c("Petra Kraus", "Domplatz 1", "06108", "Halle")),
    (
        c("Lorenz Gebäudereinigung", "Straße der Nationen 2", "09111", "Chemnitz"),
        c("Lorenz Gebäudetechnik", "Markt 1", "04109", "Leipzig"),
    ),
    (
        c("Hartmann Autohaus", "Kröpeliner Straße 1", "18055", "Rostock"),
        c("Hartmann Reisebüro", "Lange Straße 1", "18055", "Rostock"),
    ),
    (
        c("Werner Spedition", "Hafenweg 2", "48155", "Münster"),
        c("Werner Spedition", "Hafenstraße 9", "28217", "Bremen"),
    ),
    (
        c("Baumann Elektro", "Kieler Straße 4", "23552", "Lübeck"),
        c("Neumann Elektro", "Breite Straße 3", "23552", "Lübeck"),
    ),
    (
        c("Simon Consulting", "Königsallee 10", "40212", "Düsseldorf"),
        c("Simon Catering", "Graf-Adolf-Straße 2", "40212", "Düsseldorf"),
    ),
    (
        c("Frank Schuster", "Große Straße 1", "49074", "Osnabrück"),
        c("Franz Schubert", "Große Straße 9", "49074", "Osnabrück"),
    ),
    (
        c("Lehmann Transporte", "Leipziger Straße 3", "06108", "Halle"),
        c("Lehmann Transporte", "Am Sande 1", "21335", "Lüneburg"),
    ),
    (
        c("Maria König", "Marktplatz 2", "72070", "Tübingen", email="m.koenig@koenig-recht.de"),
        c("Markus König", "Marktplatz 9", "72072", "Tübingen", email="markus.koenig@web.de"),
    ),
    (
        c("Bäckerei Frey", "Freie Strasse 1", "4051", "Basel", CH),
        c("Metzgerei Frey", "Steinenvorstadt 2", "4051", "Basel", CH),
    ),
    (
        c("Gruber Installationen", "Landstraße 12", "4020", "Linz", AT),
        c("Gruber Installationen", "Getreidegasse 1", "5020", "Salzburg", AT),
    ),
    (
        c("Schneider Maschinenbau", "Maximilianstraße 3", "86150", "Augsburg"),
        c("Schneider Modebau", "Ludwigstraße 1", "86150", "Augsburg"),
    ),
    (
        c("Becker & Söhne", "Ludwigsstraße 6", "55116", "Mainz"),
        c("Bäcker & Töchter", "Große Bleiche 1", "55116", "Mainz"),
    ),
    (
        c("Tischlerei Lang", "Königsplatz 1", "34117", "Kassel", email="info@tischlerei-lang.de"),
        c("Tischlerei Lange", "Wilhelmshöher Allee 5", "34119", "Kassel", email="info@tischlerei-lange.de"),
    ),
    (
        c("Andreas Wolf", "Schloßstraße 3", "66111", "Saarbrücken", email="a.wolf@wolf-it.de"),
        c("Andrea Wolff", "Bahnhofstraße 9", "66111", "Saarbrücken", email="andrea.wolff@gmx.de"),
    ),
    (
        c("Steirische Holz GmbH", "Herrengasse 1", "8010", "Graz", AT),
        c("Kärntner Holz GmbH", "Alter Platz 1", "9020", "Klagenfurt", AT),
    ),
    (c("Krüger OHG", "Georgstraße 20", "30159", "Hannover"), c("Krüger OHG", "Bohlweg 5", "38100", "Braunschweig")),
    (c("Zimmermann AG", "Am Markt 4", "28195", "Bremen"), c("Zimmermann AG", "Königstraße 1", "70173", "Stuttgart")),
]


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityDuplicates(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.countries = {code: cls.env.ref(f"base.{code}") for code in (DE, AT, CH)}

    def _create(self, vals):
        """Create a contact; the same values give the same record (look-alikes reuse the originals)."""
        cache = self.__dict__.setdefault("_created", {})
        cache_key = tuple(sorted(vals.items()))
        if cache_key in cache:
            return cache[cache_key]
        cache[cache_key] = self._create_new(vals)
        return cache[cache_key]

    def _create_new(self, vals):
        vals = dict(vals)
        vals["country_id"] = self.countries[vals.pop("country")].id
        vals["is_company"] = not any(ch == "," for ch in vals["name"]) and len(vals["name"].split()) != 2
        return self.env["res.partner"].create({k: v for k, v in vals.items() if v})

    def _build(self, pairs):
        return [(self._create(a), self._create(b)) for a, b in pairs]

    def test_recall_precision(self):
        """>= 40 seeded duplicate pairs and >= 40 look-alikes: full scan recall and precision >= 0.9."""
        self.assertGreaterEqual(len(DUPLICATES), 40)
        self.assertGreaterEqual(len(LOOKALIKES), 40)
        dup_records = self._build(DUPLICATES)
        look_records = self._build(LOOKALIKES)
        test_ids = {p.id for pair in dup_records + look_records for p in pair}
        truth = {tuple(sorted((a.id, b.id))) for a, b in dup_records}
        Pair = self.env["vertrieb.partner.duplicate"]
        Pair._vertrieb_full_scan()
        found = {
            (p.partner_a_id.id, p.partner_b_id.id)
            for p in Pair.search([("state", "=", "open")])
            if p.partner_a_id.id in test_ids and p.partner_b_id.id in test_ids
        }
        true_positive = found & truth
        recall = len(true_positive) / len(truth)
        precision = len(true_positive) / len(found) if found else 0.0
        names = self.env["res.partner"].browse(list(test_ids))
        label = {p.id: f"{p.name} ({p.city})" for p in names}
        for a, b in sorted(truth - found):
            _logger.info("missed duplicate: %s / %s", label[a], label[b])
        for a, b in sorted(found - truth):
            _logger.info("false duplicate: %s / %s", label[a], label[b])
        _logger.info(
            "Duplicate detection on %s pairs + %s look-alikes: recall %.3f, precision %.3f",
            len(truth),
            len(LOOKALIKES),
            recall,
            precision,
        )
        self.assertGreaterEqual(recall, 0.9)
        self.assertGreaterEqual(precision, 0.9)
        # the single-partner search (used before saving) finds the same duplicates
        single = 0
        for a, b in dup_records:
            keys = {fname: a[fname] for fname in a._VERTRIEB_KEY_FIELDS}
            keys.update(id=a.id, zip=a.zip, city=a.city, parent_id=False)
            single += b.id in {pid for pid, _score, _flags in Pair._vertrieb_find_candidates(keys)}
        _logger.info("Single-partner search recall %.3f", single / len(dup_records))
        self.assertGreaterEqual(single / len(dup_records), 0.9)

    def test_single_partner_search_and_no_duplicate_memory(self):
        a = self._create(DUPLICATES[2][0])
        b = self._create(DUPLICATES[2][1])
        Pair = self.env["vertrieb.partner.duplicate"]
        pairs = Pair._vertrieb_scan_partners(a)
        self.assertIn(tuple(sorted((a.id, b.id))), pairs)
        pair = Pair.search([("partner_a_id", "=", min(a.id, b.id)), ("partner_b_id", "=", max(a.id, b.id))])
        self.assertEqual(pair.state, "open")
        self.assertTrue(pair.reason_phonetic)
        self.assertIn("Sounds Alike", pair.reasons)
        self.assertEqual(pair.cluster_id.id, min(a.id, b.id))
        # the open candidate lowers the uniqueness dimension
        self.assertIn("possible duplicate", a.vertrieb_quality_problems)
        pair.action_mark_no_duplicate()
        self.assertEqual(pair.marked_by_id, self.env.user)
        Pair._vertrieb_full_scan()
        Pair._vertrieb_scan_partners(a)
        self.assertEqual(pair.state, "no_duplicate", "the decision survives later scans")
        self.assertEqual(Pair.search_count([("partner_a_id", "in", (a | b).ids), ("state", "=", "open")]), 0)
        self.assertNotIn("possible duplicate", a.vertrieb_quality_problems or "")

    def test_block_search_reads_the_blocks_by_index(self):
        """Each block of the candidate search is read by an index of its own, among 10,000 similar
        contacts in other blocks: the company e-mail domain and the phonetic key by index-only
        scans of covering indexes (only the candidates found are read from the table); never the
        whole table or the trigrams of all names."""
        original = self._create(DUPLICATES[4][0])
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                """INSERT INTO res_partner (name, active, is_company, type, autopost_bills, vertrieb_name_key,
                                            vertrieb_zip_area, vertrieb_email_domain, vertrieb_phonetic_key)
                   SELECT 'Schmitt Elektro ' || g, TRUE, TRUE, 'contact', 'ask', 'schmitt elektro ' || g,
                          'DE-' || (100 + mod(g, 800)), 'elektro-' || g || '.de', '862 05 ' || g
                     FROM generate_series(1, 10000) g;
                   ANALYZE res_partner"""
            )
        )
        keys = {fname: original[fname] for fname in original._VERTRIEB_KEY_FIELDS}
        keys.update(id=0, zip=original.zip, city=original.city, parent_id=False, vertrieb_name_key="schmitt elektro")
        keys.update(vertrieb_email_domain="schmitt-elektro.de", vertrieb_phonetic_key="862 05")
        self.assertTrue(keys["vertrieb_zip_area"])
        Pair = self.env["vertrieb.partner.duplicate"]
        query = SQL(" UNION ").join(Pair._vertrieb_candidate_queries(keys))
        plan = "\n".join(row[0] for row in self.env.execute_query(SQL("EXPLAIN %s", query)))
        # (the ZIP block, 12 contacts here, by whichever of its indexes costs less)
        for index in ("res_partner_vertrieb_domain_block_index", "res_partner_vertrieb_phonetic_block_index"):
            self.assertIn(f"Index Only Scan using {index}", plan)
        self.assertNotIn("Seq Scan", plan)
        self.assertNotIn("vertrieb_name_key_index", plan)
        found = [pid for pid, _score, _flags in Pair._vertrieb_find_candidates(keys)]
        self.assertIn(original.id, found)

    def test_merge_uses_odoo_wizard_and_keeps_documents(self):
        a = self._create(DUPLICATES[0][0])
        b = self._create(DUPLICATES[0][1])
        lead = self.env["crm.lead"].create({"name": "Hallenbau", "partner_id": b.id})
        pairs = self.env["vertrieb.partner.duplicate"]._vertrieb_scan_partners(a)
        self.assertTrue(pairs)
        pair = self.env["vertrieb.partner.duplicate"].search([("partner_a_id", "=", a.id), ("partner_b_id", "=", b.id)])
        action = pair.action_merge()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env["base.partner.merge.automatic.wizard"].with_context(**action["context"]).create({})
        self.assertEqual(set(wizard.partner_ids.ids), {a.id, b.id})
        self.assertEqual(wizard.state, "selection")
        wizard.dst_partner_id = a
        wizard.action_merge()
        self.assertFalse(b.exists())
        self.assertEqual(lead.partner_id, a, "linked documents move to the surviving partner")
        self.assertFalse(pair.exists(), "the pair disappears with the merged contact")

    def test_hint_before_saving(self):
        self._create(DUPLICATES[4][0])
        form = Form(self.env["res.partner"])
        form.company_type = "company"
        form.name = "Schmitt Elektro GmbH"
        form.zip = "50667"
        form.city = "Köln"
        self.assertEqual(form.vertrieb_duplicate_hint_ids[0].name, "Schmidt Elektro GmbH")
        form.name = "Gänzlich Anders KG"
        self.assertFalse(form.vertrieb_duplicate_hint_ids)

    def test_lead_conversion_hint(self):
        existing = self._create(DUPLICATES[0][0])
        lead = self.env["crm.lead"].create(
            {
                "name": "Anfrage Halle",
                "type": "lead",
                "partner_name": "Mueller Bau",
                "zip": "70565",
                "city": "Stuttgart",
            }
        )
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"lead_id": lead.id})
        )
        wizard.action = "create"
        self.assertIn(existing, wizard.vertrieb_duplicate_partner_ids)

    def test_bad_input(self):
        """Empty, very long and odd names and partners without country are scored and scanned."""
        Partner = self.env["res.partner"]
        odd = Partner.create(
            [
                {"name": "x" * 600},
                {"name": "😀 ### !!!", "zip": "ABCDE"},
                {"name": "Ohne Land", "phone": "12", "vat": "XX", "email": "kaputt@"},
                {"type": "invoice", "parent_id": self.customer.id},
            ]
        )
        self.env["vertrieb.partner.duplicate"]._vertrieb_full_scan()
        for partner in odd:
            self.assertTrue(0 <= partner.vertrieb_quality_score <= 100)
        if "vies_vat_to_check" in Partner._fields:
            # base_vat accepts a number it cannot judge without a country, and so does the score:
            # the missing country is the problem named
            self.assertNotIn("VAT number", odd[2].vertrieb_quality_problems)
        else:
            self.assertIn("VAT number invalid", odd[2].vertrieb_quality_problems)
        self.assertIn("Country missing", odd[2].vertrieb_quality_problems)

    @users("cv_sales1")
    def test_record_rules(self):
        Partner = self.env["res.partner"].sudo()
        own_a = Partner.create(
            {"name": "Ludwig Sommer", "city": "Ulm", "zip": "89073", "user_id": self.user_sales_1.id}
        )
        own_b = Partner.create({"name": "Ludwig Somer", "city": "Ulm", "zip": "89073", "user_id": self.user_sales_1.id})
        other_a = Partner.create(
            {"name": "Greta Winter", "city": "Kiel", "zip": "24103", "user_id": self.user_sales_2.id}
        )
        other_b = Partner.create(
            {"name": "Greta Wintter", "city": "Kiel", "zip": "24103", "user_id": self.user_sales_2.id}
        )
        Pair = self.env["vertrieb.partner.duplicate"]
        Pair.sudo()._vertrieb_scan_partners(own_a | other_a)
        visible = Pair.search([("partner_a_id", "in", (own_a | own_b | other_a | other_b).ids)])
        self.assertEqual(visible.partner_a_id | visible.partner_b_id, own_a | own_b)
        hidden = Pair.sudo().search([("partner_a_id", "=", other_a.id)])
        self.assertTrue(hidden)
        with self.assertRaises(AccessError):
            hidden.with_user(self.user_sales_1).read(["score"])
        visible.action_mark_no_duplicate()
        self.assertEqual(visible.state, "no_duplicate")
        with self.assertRaises(AccessError):
            Pair.create({"partner_a_id": own_a.id, "partner_b_id": other_b.id})
        manager_view = Pair.with_user(self.user_manager).search([("partner_a_id", "=", other_a.id)])
        self.assertTrue(manager_view, "the sales manager sees all pairs")
        # a contact handed over to the salesperson brings its pairs along (its salesperson is
        # stored on the pair for the rule)
        other_b.user_id = self.user_sales_1
        self.assertEqual(Pair.search([("partner_a_id", "=", other_a.id)]), hidden)
        other_b.user_id = self.user_sales_2
        self.assertFalse(Pair.search([("partner_a_id", "=", other_a.id)]))


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityDuplicateConflicts(VertriebCommon):
    """Conflicting facts keep a pair below the threshold; exact links still count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.de = cls.env.ref("base.de")
        cls.Pair = cls.env["vertrieb.partner.duplicate"]

    def _pair_score(self, vals_a, vals_b):
        """Score of two new partners in the full scan (0 when the scan does not list them)."""
        a, b = self.env["res.partner"].create([dict(vals, country_id=self.de.id) for vals in (vals_a, vals_b)])
        pairs = self.Pair._vertrieb_full_scan()
        return pairs.get(tuple(sorted((a.id, b.id))), (0, {}))[0]

    def test_namesake_persons(self):
        person = {"name": "Jürgen Vollmer", "zip": "70173", "city": "Stuttgart"}
        self.assertEqual(
            self._pair_score(dict(person, street="Königstraße 1"), dict(person, zip="70174", street="Lange Straße 9")),
            0,
            "same name in the same ZIP area, other streets: two people",
        )
        score = self._pair_score(dict(person, name="Jörg Wagenknecht"), dict(person, name="Jörg Wagenknecht"))
        self.assertGreaterEqual(score, 60, "same name, same place, nothing contradicting: a candidate")
        self.assertLessEqual(score, 75, "... but only a weak one without a common street, employer or domain")
        self.assertGreater(
            self._pair_score(
                dict(person, name="Ilse Ostermann", street="Königstraße 1"),
                dict(person, name="Ilse Ostermann", street="Königstr. 1"),
            ),
            90,
            "same name and street: a strong candidate",
        )

    def test_persons_of_different_companies(self):
        first, second = self.env["res.partner"].create(
            [
                {"name": "Nordlicht Kühltechnik GmbH", "is_company": True, "zip": "24103", "city": "Kiel"},
                {"name": "Förde Reederei AG", "is_company": True, "zip": "24105", "city": "Kiel"},
            ]
        )
        person = {"name": "Bernd Lorenzen", "zip": "24103", "city": "Kiel"}
        self.assertEqual(
            self._pair_score(dict(person, parent_id=first.id), dict(person, parent_id=second.id)),
            0,
            "a namesake at another employer is another person",
        )
        self.assertGreaterEqual(
            self._pair_score(
                dict(person, name="Wiebke Carstens", parent_id=first.id, email="w.carstens@nordlicht.de"),
                dict(person, name="Wiebke Carstens", parent_id=second.id, email="w.carstens@nordlicht.de"),
            ),
            90,
            "unless the same personal e-mail links them (she changed companies)",
        )

    def test_shared_phone_line(self):
        company = self.env["res.partner"].create({"name": "Alsterblick Verlag", "is_company": True})
        self.assertEqual(
            self._pair_score(
                {"name": "Christian Kleinert", "parent_id": company.id, "phone": "+49 40 555123-10"},
                {"name": "Sabine Hoferichter", "parent_id": company.id, "phone": "+49 40 555123-10"},
            ),
            0,
            "unrelated names sharing a line are two people",
        )

    def test_legal_entities_and_branches(self):
        company = {"name": "Wendelin Stahlbau GmbH", "is_company": True, "website": "www.wendelin-stahlbau.de"}
        self.assertEqual(
            self._pair_score(
                dict(company, zip="80331", city="München", vat="DE136695976"),
                dict(company, zip="80331", city="München", vat="DE129273398"),
            ),
            0,
            "two VAT numbers: two legal entities",
        )
        self.assertEqual(
            self._pair_score(
                dict(company, name="Wendelin Anlagenbau", zip="20095", city="Hamburg", email="info@wendelin.de"),
                dict(company, name="Wendelin Montage", zip="01067", city="Dresden", email="info@wendelin.de"),
            ),
            0,
            "website and role mailbox shared by branches in other cities",
        )
        self.assertGreaterEqual(
            self._pair_score(
                dict(company, name="Quirin Anlagen", zip="20095", city="Hamburg", email="q.mayr@quirin.de"),
                dict(company, name="Mayr Montage", zip="01067", city="Dresden", email="q.mayr@quirin.de"),
            ),
            90,
            "a personal mailbox links them even after a move",
        )

    def test_colleagues_with_own_mailboxes(self):
        company = self.env["res.partner"].create({"name": "Saarland Feinmechanik GmbH", "is_company": True})
        colleague = {"parent_id": company.id, "zip": "66111", "city": "Saarbrücken"}
        self.assertEqual(
            self._pair_score(
                dict(colleague, name="Karl Schäferling", email="karl.schaeferling@feinmechanik.de"),
                dict(colleague, name="Karin Schäferling", email="karin.schaeferling@feinmechanik.de"),
            ),
            0,
            "two personal mailboxes: two colleagues",
        )
        self.assertGreaterEqual(
            self._pair_score(
                dict(colleague, name="Gerda Schäferling", email="g.schaeferling@feinmechanik.de"),
                dict(colleague, name="Gerda Schaeferling"),
            ),
            90,
            "one entry without the mailbox: a duplicate",
        )
