from odoo.tests import tagged

from ...tools.duplicate_scoring import KEY_FIELDS
from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_quality")
class TestQualityColumnFill(VertriebCommon):
    """Installed into a database with contacts, their duplicate keys and quality scores are filled
    in batches (``_vertrieb_fill_keys_and_quality``), not by the ORM: both give the same values."""

    def test_fill_equals_orm_compute(self):
        de, at = self.env.ref("base.de"), self.env.ref("base.at")
        # contacts as an existing database holds them, invalid VAT numbers included: base_vat (a
        # German database) refuses those on entry, so they come in as imported data would
        Partner = self.env["res.partner"].with_context(no_vat_validation=True)
        company = Partner.create(
            {
                "name": "Weiß & Söhne Maschinenbau GmbH",
                "is_company": True,
                "street": "Hauptstraße 12",
                "zip": "80331",
                "city": "München",
                "country_id": de.id,
                "vat": "DE123456788",
                "email": "info@weiss-maschinenbau.de",
                "phone": "+49 89 1234567",
                "website": "https://www.weiss-maschinenbau.de",
            }
        )
        partners = company | Partner.create(
            [
                {"name": "Jürgen Weiß", "parent_id": company.id, "function": "Einkauf", "mobile": "0151 2345678"},
                {"name": "Gruber Bau e.U.", "is_company": True, "country_id": at.id, "zip": "1010", "vat": "DE1"},
                {"name": "Nur Name", "email": "kein-at-zeichen", "active": False},
            ]
        )
        fnames = [*KEY_FIELDS, *Partner._VERTRIEB_QUALITY_FIELDS]
        self.assertFillEqualsCompute(partners, fnames, lambda ids: Partner._vertrieb_fill_keys_and_quality(ids=ids))
