# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import VertriebKpiCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiContacts(VertriebKpiCommon):
    def test_counting_rules(self):
        """Hand-counted: the activity done by someone else counts for who did it; the to-do, the
        cancelled, declined and future meetings, the internal note and the internal email do not."""
        self.assertEqual(
            self._counts(),
            {
                ("cv_sales1", "call"): 2,
                ("cv_sales1", "offer"): 1,
                ("cv_sales1", "meeting"): 2,
                ("cv_sales1", "email"): 1,
                ("cv_sales2", "call"): 1,
            },
        )

    def test_contact_attributes(self):
        contacts = self.env["vertrieb.kpi.contact"].search(
            [("user_id", "=", self.user_sales_1.id), ("date", ">=", self.week_start), ("date", "<=", self.week_end)]
        )
        self.assertEqual(len(contacts), 6)
        self.assertEqual(set(contacts.mapped("source")), {"activity", "calendar", "email"})
        self.assertEqual(contacts.team_id, self.team_1)
        meeting = contacts.filtered(lambda c: c.source == "calendar")[:1]
        self.assertEqual(meeting.lead_id, self.lead_1)
        self.assertEqual(meeting.partner_id, self.customer)
        call_on_partner = contacts.filtered(lambda c: c.res_model == "res.partner")
        self.assertEqual(call_on_partner.partner_id, self.customer)
        action = call_on_partner.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.customer.id))

    def test_unmapped_type_is_configurable(self):
        """Mapping the to-do type to "call" makes the done to-do count."""
        self.type_todo.vertrieb_contact_type = "call"
        self.assertEqual(self._counts()[("cv_sales1", "call")], 3)

    def test_mapping_before_the_ledger_is_built(self):
        """At the install the default mapping is written before the ledger is built from every
        message: that write syncs nothing (the full build follows); once built, a change syncs."""
        self.env["ir.config_parameter"].sudo().set_param("crm_vertrieb.kpi_contact_ledger_version", False)
        before = self._counts()
        self.assertNotEqual(before.get(("cv_sales1", "call")), 3)
        self.type_todo.vertrieb_contact_type = "call"
        self.assertEqual(self._counts(), before, "no partial sync before the ledger is built")
        self.assertTrue(self.env["vertrieb.kpi.contact.line"]._vertrieb_sync_if_rules_changed())
        self.assertEqual(self._counts()[("cv_sales1", "call")], 3)
        self.type_todo.vertrieb_contact_type = False
        self.assertNotEqual(self._counts().get(("cv_sales1", "call")), 3, "built: the change syncs at once")

    def test_record_rules(self):
        """Salesperson: own numbers; team leader: the team's; manager: all."""
        counts_s1 = self._counts(self.env(user=self.user_sales_1))
        self.assertEqual({login for login, _t in counts_s1}, {"cv_sales1"})
        counts_leader = self._counts(self.env(user=self.user_leader_2))
        self.assertEqual(counts_leader, {("cv_sales2", "call"): 1})
        counts_manager = self._counts(self.env(user=self.user_manager))
        self.assertEqual(sum(counts_manager.values()), 7)
        with self.assertRaises(AccessError):
            self.env["vertrieb.kpi.contact"].with_user(self.user_accountant).search([])

    def test_multi_company(self):
        """A contact on a lead of another company is hidden when that company is not allowed."""
        company_b = self.env["res.company"].create({"name": "Vertrieb Österreich GmbH"})
        self.user_sales_1.company_ids |= company_b
        lead_b = self.env["crm.lead"].create(
            {"name": "Wien", "type": "opportunity", "user_id": self.user_sales_1.id, "company_id": company_b.id}
        )
        self._done_activity(lead_b, self.type_call, self.user_sales_1, self.user_sales_1, 0)
        env_a = self.env(user=self.user_sales_1, context={"allowed_company_ids": [self.company.id]})
        env_ab = self.env(user=self.user_sales_1, context={"allowed_company_ids": [self.company.id, company_b.id]})
        self.assertEqual(self._counts(env_a)[("cv_sales1", "call")], 2)
        self.assertEqual(self._counts(env_ab)[("cv_sales1", "call")], 3)

    def test_digest_tile(self):
        digest = self.env["digest.digest"].create({"name": "Wochenbericht", "kpi_vertrieb_schlagzahl": True})
        start = datetime.combine(self.week_start, time.min)
        digest_ctx = digest.with_context(start_datetime=start, end_datetime=start + timedelta(days=7))
        self.assertEqual(digest_ctx.with_user(self.user_manager).kpi_vertrieb_schlagzahl_value, 8)
        digest_ctx.invalidate_recordset()
        self.assertEqual(digest_ctx.with_user(self.user_sales_1).kpi_vertrieb_schlagzahl_value, 6)
        self.assertIn("kpi_vertrieb_schlagzahl", digest._get_kpi_fields())

    def test_cockpit_data(self):
        """The cockpit counts this week's contact of sales1 and shows "no target" for sales2."""
        self.lead_1.with_user(self.user_sales_1).message_post(
            body="Rückfrage", partner_ids=self.customer.ids, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        week_start = self.env["vertrieb.kpi.target"]._vertrieb_period_bounds("week")[0]
        self.env["vertrieb.kpi.target"].create(
            {
                "user_id": self.user_sales_1.id,
                "kpi": "contacts",
                "period": "week",
                "date_from": week_start,
                "target_value": 4,
            }
        )
        data = self.env["vertrieb.kpi.target"].with_user(self.user_manager).get_cockpit_data()
        rows = {row["user_id"]: row for row in data["rows"]}
        self.assertEqual(rows[self.user_sales_1.id]["week"]["actual"], 1)
        self.assertEqual(rows[self.user_sales_1.id]["week"]["target"], 4)
        self.assertEqual(rows[self.user_sales_1.id]["week"]["achievement"], 25)
        self.assertEqual(rows[self.user_sales_1.id]["week"]["light"], "red")
        self.assertIsNone(rows[self.user_sales_2.id]["week"]["target"])
        self.assertIsNone(rows[self.user_sales_2.id]["week"]["achievement"])
        self.assertEqual(rows[self.user_sales_2.id]["week"]["light"], "none")
        # a salesperson sees only their own row
        data_s2 = self.env["vertrieb.kpi.target"].with_user(self.user_sales_2).get_cockpit_data()
        self.assertEqual([row["user_id"] for row in data_s2["rows"]], [self.user_sales_2.id])
        self.assertEqual(data_s2["complaints"]["total"], 0)
        today = fields.Date.today()
        self.assertTrue(week_start <= today)

    def test_cockpit_rows_of_leaders(self):
        """A sales manager or team leader who is no member of a team is no row of the cockpit (no
        "no target" row for the manager) unless they have a target this week or month; a
        salesperson without a target is a row, its cells without target (the empty state)."""
        Target = self.env["vertrieb.kpi.target"]
        # the manager's own contact this week does not make them a salesperson
        self.lead_1.with_user(self.user_manager).message_post(
            body="Rückfrage der Leitung",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

        def rows():
            data = Target.with_user(self.user_manager).get_cockpit_data()
            return {row["user_id"]: row for row in data["rows"]}

        self.assertNotIn(self.user_manager.id, rows())
        self.assertNotIn(self.user_leader_2.id, rows())
        self.assertIsNone(rows()[self.user_sales_2.id]["month"]["target"])
        Target.create(
            {
                "user_id": self.user_manager.id,
                "kpi": "contacts",
                "period": "month",
                "date_from": Target._vertrieb_period_bounds("month")[0],
                "target_value": 5,
            }
        )
        manager_row = rows()[self.user_manager.id]
        self.assertEqual(manager_row["month"]["target"], 5)
        self.assertIsNone(manager_row["week"]["target"])
        # a team leader who sells in the team is a row
        self.env["crm.team.member"].create({"crm_team_id": self.team_2.id, "user_id": self.user_leader_2.id})
        self.assertIsNone(rows()[self.user_leader_2.id]["week"]["target"])

    def test_cockpit_open_complaints(self):
        """The cockpit counts open complaints of the salespeople's customers, not closed ones."""
        Complaint = self.env["vertrieb.complaint"]
        self.customer.user_id = self.user_sales_1
        before = self.env["vertrieb.kpi.target"].with_user(self.user_manager).get_cockpit_data()["complaints"]["total"]
        open_complaint = Complaint.create(
            {"title": "Lieferverzug", "partner_id": self.customer.id, "complaint_type": "complaint"}
        )
        closed_stage = self.env["vertrieb.complaint.stage"].search(
            [("is_closed", "=", True), ("is_rejected", "=", False)], limit=1
        )
        closed = Complaint.create(
            {
                "title": "Falsche Rechnung",
                "partner_id": self.customer.id,
                "complaint_type": "complaint",
                "resolution": "Gutschrift erstellt",
            }
        )
        closed.stage_id = closed_stage
        data = self.env["vertrieb.kpi.target"].with_user(self.user_manager).get_cockpit_data()
        self.assertEqual(data["complaints"]["total"], before + 1)
        listed = Complaint.search(data["complaints"]["domain"])
        self.assertIn(open_complaint, listed)
        self.assertNotIn(closed, listed)
        # the other salesperson has no customer with complaints
        data_s2 = self.env["vertrieb.kpi.target"].with_user(self.user_sales_2).get_cockpit_data()
        self.assertEqual(data_s2["complaints"]["total"], 0)
