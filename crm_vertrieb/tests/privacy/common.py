from odoo import Command, fields
from odoo.tests import new_test_user

from ..common import VertriebCommon


class PrivacyCommon(VertriebCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_dpo = new_test_user(
            cls.env,
            "cv_dpo",
            groups="base.group_user,crm_vertrieb.group_dpo,base.group_partner_manager",
            name="Dora Datenschutz",
        )
        cls.purpose_email = cls.env.ref("crm_vertrieb.privacy_purpose_email_marketing")
        cls.purpose_phone = cls.env.ref("crm_vertrieb.privacy_purpose_phone_marketing")
        cls.purpose_care = cls.env.ref("crm_vertrieb.privacy_purpose_customer_care")
        cls.purpose_contract = cls.env.ref("crm_vertrieb.privacy_purpose_contract")
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Eva Einkauf",
                "email": "eva.einkauf@example.com",
                "phone": "+49 711 123456",
                "street": "Hauptstraße 5",
                "zip": "70173",
                "city": "Stuttgart",
                "user_id": cls.user_sales_1.id,
            }
        )
        cls.other_person = cls.env["res.partner"].create(
            {"name": "Otto Anders", "email": "otto.anders@example.com", "user_id": cls.user_sales_2.id}
        )

    @classmethod
    def _grant_vals(cls, partner, purpose, **extra):
        vals = {
            "partner_id": partner.id,
            "purpose_id": purpose.id,
            "state": "granted",
            "consent_date": fields.Datetime.now(),
            "channel": "web_form",
            "consent_text": "Ja, ich möchte den Newsletter erhalten.",
            "consent_version": "v1",
            "contact_value": partner.email,
        }
        vals.update(extra)
        return vals

    @classmethod
    def _grant(cls, partner, purpose, **extra):
        return cls.env["vertrieb.privacy.consent"].create(cls._grant_vals(partner, purpose, **extra))

    @classmethod
    def _invoice(cls, partner, amount=100.0, post=True, date=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date or fields.Date.today(),
                "date": date or fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": "Beratung", "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, move):
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {}
        )._create_payments()
