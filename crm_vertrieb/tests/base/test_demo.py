from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import date_utils

from ...tools.holidays_de import german_holidays


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestDemo(TransactionCase):
    """The German demo: its own company, every feature with data relative to the installation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("crm_vertrieb.company_demo", raise_if_not_found=False)
        if not cls.company:
            cls.skipTest(cls, "database without demo data")
        cls.team = cls.env["res.users"].browse(
            cls.env.ref(f"crm_vertrieb.{xmlid}").id
            for xmlid in ("user_salesperson_1", "user_salesperson_2", "user_salesperson_3")
        )

    def test_company(self):
        """A German company in EUR with a chart of accounts, German holidays; the demo users work
        in it only; the other companies keep their currency and get none of the demo records."""
        self.assertEqual(self.company.country_id.code, "DE")
        self.assertEqual(self.company.currency_id.name, "EUR")
        self.assertIn(self.company.chart_template, ("generic_coa", "de_skr03"))
        self.assertTrue(self.env["account.journal"].search_count([("company_id", "=", self.company.id)]))
        holidays = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.company.resource_calendar_id.id), ("resource_id", "=", False)]
        )
        year = fields.Date.today().year
        self.assertIn(f"Tag der Deutschen Einheit {year}", holidays.mapped("name"))
        manager = self.env.ref("crm_vertrieb.user_sales_manager")
        for user in manager | self.team:
            self.assertEqual(user.company_id, self.company)
            self.assertEqual(user.company_ids, self.company)
            self.assertEqual(user.action_id.id, self.env.ref("crm_vertrieb.vertrieb_kpi_cockpit_action").id)
        others = self.env["res.company"].search([("id", "!=", self.company.id)])
        demo_leads = self.env["crm.lead"].search([("user_id", "in", self.team.ids)])
        self.assertTrue(demo_leads)
        self.assertFalse(demo_leads.filtered(lambda lead: lead.company_id in others))
        self.assertFalse(
            self.env["account.move"].search_count(
                [("invoice_user_id", "in", self.team.ids), ("company_id", "in", others.ids)]
            )
        )
        # the demo's customers belong to the demo company: a sales manager of another company sees
        # none of its contacts, leads, complaints or duplicate pairs, and its cockpit none of its people
        other = others[:1]
        if not other:
            return
        outsider = new_test_user(
            self.env,
            login="vertrieb.andere.firma",
            groups="sales_team.group_sale_manager,crm_vertrieb.group_complaint_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        demo_partners = self.env["res.partner"].search([("company_id", "=", self.company.id)])
        self.assertIn(self.env.ref("crm_vertrieb.partner_mueller_bau"), demo_partners)
        self.assertIn(self.env.ref("crm_vertrieb.acq_contact_weber"), demo_partners)
        for model, records in (
            ("res.partner", demo_partners),
            ("crm.lead", demo_leads),
            ("vertrieb.complaint", self.env["vertrieb.complaint"].search([("company_id", "=", self.company.id)])),
            ("vertrieb.partner.duplicate", self.env["vertrieb.partner.duplicate"].search([])),
        ):
            self.assertTrue(records, model)
            self.assertFalse(self.env[model].with_user(outsider).search([("id", "in", records.ids)]), model)
        rows = self.env["vertrieb.kpi.target"].with_user(outsider).get_cockpit_data()["rows"]
        self.assertFalse({row["user_id"] for row in rows} & set((manager | self.team).ids))

    def test_update_steps_are_idempotent(self):
        """The demo steps that also run on every update change nothing on a database whose demo is
        complete: the company keeps its chart, currency and holidays, the demo is not adopted again,
        the duplicate pairs stay."""
        Demo = self.env["vertrieb.demo"]
        Leave = self.env["resource.calendar.leaves"]
        holidays = Leave.search([("calendar_id", "=", self.company.resource_calendar_id.id)])
        chart, journals = self.company.chart_template, self.env["account.journal"].search([])
        pairs = self.env["vertrieb.partner.duplicate"].search([])
        Demo._vertrieb_demo_setup_company(self.company.id)
        self.assertFalse(Demo._vertrieb_demo_adopt(self.company.id))
        Demo._vertrieb_demo_duplicates(
            [
                self.env.ref("crm_vertrieb.partner_meyer_logistik").id,
                self.env.ref("crm_vertrieb.partner_mueller_bau_dup").id,
            ]
        )
        self.assertEqual(Leave.search([("calendar_id", "=", self.company.resource_calendar_id.id)]), holidays)
        self.assertEqual((self.company.chart_template, self.company.currency_id.name), (chart, "EUR"))
        self.assertEqual(self.env["account.journal"].search([]), journals)
        self.assertEqual(self.env["vertrieb.partner.duplicate"].search([]), pairs)

    def test_contacts_and_targets(self):
        """Contacts in each of the last 12 weeks including this one, of every counted type and with
        messages that do not count; month and quarter targets green, yellow and red."""
        today = fields.Date.context_today(self.env.user.with_context(tz="Europe/Berlin"))
        week = date_utils.start_of(today, "week")
        lines = self.env["vertrieb.kpi.contact.line"].search(
            [("user_id", "in", self.team.ids), ("date", ">=", week - timedelta(weeks=11))]
        )
        self.assertEqual(set(lines.mapped("contact_type")), {"call", "meeting", "email", "offer"})
        self.assertEqual(set(lines.mapped("source")), {"activity", "calendar", "email"})
        weeks = {date_utils.start_of(line.date, "week") for line in lines}
        self.assertEqual(len(weeks), 12, "every one of the 12 weeks has contacts")
        for user in self.team:
            self.assertTrue(lines.filtered(lambda line, user=user: line.user_id == user and line.date >= week))
        # notes and to-dos are in the chatter but not in the ledger
        notes = self.env["mail.message"].search(
            [("author_id", "in", self.team.partner_id.ids), ("is_internal", "=", True)]
        )
        self.assertTrue(notes)
        self.assertFalse(lines.filtered(lambda line: line.message_id in notes))
        targets = self.env["vertrieb.kpi.target"].search(
            [("user_id", "in", self.team.ids), ("period", "in", ("month", "quarter"))]
        )
        lights = {(t.user_id.login, t.period): t.traffic_light for t in targets}
        self.assertEqual(
            lights,
            {
                ("t.becker", "month"): "green",
                ("t.becker", "quarter"): "green",
                ("s.wagner", "month"): "yellow",
                ("s.wagner", "quarter"): "yellow",
                ("j.schulz", "month"): "red",
                ("j.schulz", "quarter"): "red",
            },
        )
        weekly = self.env["vertrieb.kpi.target"].search([("user_id", "in", self.team.ids), ("period", "=", "week")])
        self.assertEqual(len(weekly), 36)

    def test_trend_of_the_cockpit(self):
        """The cockpit's trend of the demo sales manager: 12 weeks, non-zero contacts this week."""
        manager = self.env.ref("crm_vertrieb.user_sales_manager")
        Target = self.env["vertrieb.kpi.target"].with_user(manager).with_context(tz="Europe/Berlin")
        data = Target.get_cockpit_data()
        # the salespeople of the demo company: not the other companies' salespeople of a team
        # without a company (Odoo's demo users of the "Sales" team), not the sales manager herself
        # (she leads the teams, has no target and is no member)
        self.assertEqual(
            {row["name"] for row in data["rows"]},
            {"Thomas Becker", "Sabine Wagner", "Jürgen Schulz"},
        )
        extra = Target.get_cockpit_trend([row["user_id"] for row in data["rows"]])
        self.assertEqual(len(extra["weeks"]), 12)
        becker = next(row for row in extra["trend"] if row["name"] == "Thomas Becker")
        self.assertGreater(becker["actual"][-1], 0)
        self.assertEqual(becker["target"][-1], 10)
        self.assertTrue(extra["has_targets"])
        self.assertEqual(extra["pipeline_id"], self.env.ref("crm_vertrieb.team_acquisition").id)
        steps = self.env["crm.stage"].browse(s["stage_id"] for s in extra["pipeline_stages"])
        self.assertTrue(steps.vertrieb_step_id, "the acquisition steps")
        self.assertEqual(steps.filtered(lambda s: not s.vertrieb_step_id), self.env["crm.stage"])

    def test_cockpit_this_week_and_month(self):
        """Whatever the day of installation (also the 1st of a month): the cockpit of the sales
        manager shows offers and won deals this month, offers and a won deal this week, and every
        salesperson in it has a week and a month target (no empty cell, no "no target")."""
        manager = self.env.ref("crm_vertrieb.user_sales_manager")
        Target = self.env["vertrieb.kpi.target"].with_user(manager).with_context(tz="Europe/Berlin")
        data = Target.get_cockpit_data()
        self.assertGreater(data["offers_month"], 0)
        self.assertGreater(data["won_month"], 0)
        self.assertTrue(data["rows"])
        for row in data["rows"]:
            self.assertIsNotNone(row["week"]["target"], row["name"])
            self.assertIsNotNone(row["month"]["target"], row["name"])
        week_start, week_end = Target._vertrieb_period_bounds("week")
        offers = self.env["vertrieb.kpi.contact"].search(
            [
                ("contact_type", "=", "offer"),
                ("source", "!=", "target"),
                ("user_id", "in", self.team.ids),
                ("date", ">=", week_start),
                ("date", "<=", week_end),
            ]
        )
        self.assertEqual(offers.user_id, self.team, "an offer of each salesperson this week")
        won = self.env["crm.lead"].search(
            [
                ("company_id", "=", self.company.id),
                ("stage_id.is_won", "=", True),
                ("date_closed", ">=", fields.Datetime.to_datetime(week_start)),
            ]
        )
        self.assertTrue(won)

    def test_trend_of_a_salesperson(self):
        """A salesperson's cockpit: their own row and trend; asking for a colleague's trend gives
        nothing the record rules hide (no contacts, no targets)."""
        becker, wagner = self.team[0], self.team[1]
        Target = self.env["vertrieb.kpi.target"].with_user(becker).with_context(tz="Europe/Berlin")
        data = Target.get_cockpit_data()
        self.assertEqual([row["name"] for row in data["rows"]], ["Thomas Becker"])
        extra = Target.get_cockpit_trend([becker.id, wagner.id])
        own, other = extra["trend"]
        self.assertTrue(any(own["actual"]))
        self.assertFalse(any(other["actual"]))
        self.assertFalse(any(other["target"]))
        # the complaint handler is no salesperson: no to-do of the sales features, the overdue complaint
        handler = self.env.ref("crm_vertrieb.user_complaint_handler")
        todos = self.env["vertrieb.kpi.target"].with_user(handler)._vertrieb_cockpit_todos(self.env["res.users"])
        self.assertEqual([todo["key"] for todo in todos], ["complaints_overdue"])
        self.assertGreaterEqual(todos[0]["count"], 1)

    def test_steps_complaints_privacy(self):
        """Leads with a step history over weeks (some overdue), complaints in every stage (one
        overdue, one with a partial credit note), a data-subject request due soon."""
        leads = self.env["crm.lead"].search([("vertrieb_step_id", "!=", False), ("company_id", "=", self.company.id)])
        self.assertTrue(leads.filtered("vertrieb_step_overdue"))
        self.assertTrue(leads.filtered(lambda lead: not lead.vertrieb_step_overdue))
        history = self.env["vertrieb.lead.step.history"].search([("lead_id", "in", leads.ids)])
        self.assertGreater(fields.Datetime.now() - min(history.mapped("date_enter")), timedelta(weeks=8))
        complaints = self.env["vertrieb.complaint"].search([("company_id", "=", self.company.id)])
        self.assertEqual(complaints.stage_id, self.env["vertrieb.complaint.stage"].search([]))
        self.assertIn("overdue", complaints.mapped("sla_status"))
        pumps = self.env.ref("crm_vertrieb.complaint_demo_mueller_defect")
        self.assertEqual(len(pumps.credit_note_ids), 1)
        self.assertLess(pumps.credit_note_ids.amount_untaxed, pumps.invoice_ids.amount_untaxed)
        # the duplicates to check: the misspelled "Meyer Logistik" and "Mueller Bau"
        pairs = self.env["vertrieb.partner.duplicate"].search([("state", "=", "open")])
        paired = pairs.partner_a_id | pairs.partner_b_id
        self.assertIn(self.env.ref("crm_vertrieb.partner_meyer_logistik"), paired)
        self.assertIn(self.env.ref("crm_vertrieb.partner_mueller_bau_dup"), paired)
        request = self.env.ref("crm_vertrieb.privacy_request_demo_access")
        self.assertLessEqual(request.deadline, fields.Date.today() + timedelta(days=7))
        self.assertGreaterEqual(request.deadline, fields.Date.today())

    def test_german_holidays(self):
        """Easter-dependent and fixed holidays, and a federal state's own."""
        days = dict(german_holidays(2026, "BW"))
        self.assertEqual(days[fields.Date.to_date("2026-04-03")], "Karfreitag")
        self.assertEqual(days[fields.Date.to_date("2026-05-14")], "Christi Himmelfahrt")
        self.assertEqual(days[fields.Date.to_date("2026-06-04")], "Fronleichnam")
        self.assertEqual(len(german_holidays(2026)), 9)
        self.assertEqual(dict(german_holidays(2023, "SN"))[fields.Date.to_date("2023-11-22")], "Buß- und Bettag")
