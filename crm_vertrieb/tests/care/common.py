# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta

from odoo import fields

from ..common import VertriebCommon


class VertriebCareCommon(VertriebCommon):
    """A seeded dataset for the contact rhythm, with hand-computed dates (``today`` is the test day):

    ==================  =====================================================  ==================
    customer            contacts (ledger)                                      last contact
    ==================  =====================================================  ==================
    customer (sales1)   call by sales1 50 days ago; call by sales2 (another     20 days ago
                        salesperson) 20 days ago; internal note 5 days ago
    customer_b (sales1) call on its contact person 70 days ago                 70 days ago
    customer_c (sales2) none                                                   —
    ==================  =====================================================  ==================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # everybody on the same local day: the rhythm's day is the reader's (between 23:00 and
        # midnight UTC it is already tomorrow in Berlin)
        (cls.env.user | cls.user_manager | cls.user_sales_1 | cls.user_sales_2).write({"tz": "Europe/Berlin"})
        cls.today = fields.Date.context_today(cls.customer)
        cls.customer.write({"user_id": cls.user_sales_1.id, "customer_rank": 1})
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Becker Elektro KG",
                "is_company": True,
                "customer_rank": 1,
                "zip": "80331",
                "city": "München",
                "country_id": cls.env.ref("base.de").id,
                "user_id": cls.user_sales_1.id,
            }
        )
        cls.contact_b = cls.env["res.partner"].create({"name": "Petra Becker", "parent_id": cls.customer_b.id})
        cls.customer_c = cls.env["res.partner"].create(
            {
                "name": "Fischer Metall GmbH",
                "is_company": True,
                "customer_rank": 1,
                "zip": "20095",
                "city": "Hamburg",
                "country_id": cls.env.ref("base.de").id,
                "user_id": cls.user_sales_2.id,
            }
        )
        cls.type_call = cls.env.ref("mail.mail_activity_data_call")
        cls._done_call(cls.customer, cls.user_sales_1, 50)
        cls._done_call(cls.customer, cls.user_sales_2, 20)
        note = cls.customer.with_user(cls.user_sales_1).message_post(
            body="Intern: Kunde zahlt spät", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        note.sudo().write({"date": cls._days_ago(5)})
        cls._done_call(cls.contact_b, cls.user_sales_1, 70)
        cls.Care = cls.env["vertrieb.customer.care"]

    @classmethod
    def _days_ago(cls, days):
        return datetime.combine(cls.today - timedelta(days=days), time(10, 0))

    @classmethod
    def _done_call(cls, partner, user, days_ago):
        activity = cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": cls.type_call.id,
                "user_id": user.id,
                "date_deadline": cls.today - timedelta(days=days_ago),
            }
        )
        message_id = activity.with_user(user).action_feedback(feedback="erledigt")
        cls.env["mail.message"].browse(message_id).sudo().write({"date": cls._days_ago(days_ago)})
        return message_id

    @classmethod
    def _set_class(cls, partner, abc_class):
        cls.env["vertrieb.customer.value"].sudo().create({"partner_id": partner.id, "abc_class": abc_class})

    def _care(self, partner):
        self.Care._vertrieb_refresh()
        return self.Care.search([("partner_id", "=", partner.id)])
