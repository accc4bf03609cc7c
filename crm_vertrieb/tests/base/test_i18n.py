import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestGermanTranslation(TransactionCase):
    """Every term the module shows to users has a German translation in i18n/de.po."""

    def _po_terms(self, filename):
        path = os.path.join(get_module_path("crm_vertrieb"), "i18n", filename)
        return {entry.msgid: entry.msgstr for entry in polib.pofile(path) if not entry.obsolete}

    def test_every_term_translated(self):
        german = self._po_terms("de.po")
        reader = TranslationModuleReader(self.env.cr, modules=["crm_vertrieb"])
        terms = {src for _module, _type, _name, _res_id, src, _value, _comments in reader if src}
        self.assertTrue(terms, "the module exports no terms at all")
        missing = sorted(term for term in terms if not german.get(term))
        self.assertFalse(
            missing,
            "Terms without German translation in i18n/de.po (run `make i18n`, then translate):\n"
            + "\n".join(missing[:50]),
        )

    def test_template_matches_module(self):
        template = self._po_terms("crm_vertrieb.pot")
        reader = TranslationModuleReader(self.env.cr, modules=["crm_vertrieb"])
        terms = {src for _module, _type, _name, _res_id, src, _value, _comments in reader if src}
        self.assertFalse(sorted(terms - set(template))[:50], "i18n/crm_vertrieb.pot is stale: run `make i18n`")
