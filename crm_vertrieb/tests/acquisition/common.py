from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form

from ..common import VertriebCommon


class AcquisitionCommon(VertriebCommon):
    """Pipeline "New Customer Acquisition" with its eight stages and helpers to fill steps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("crm_vertrieb.team_acquisition")
        cls.team.member_ids = [Command.link(cls.user_sales_1.id), Command.link(cls.user_sales_2.id)]
        codes = ["research", "identification", "contact", "needs", "argumentation", "contract", "closing", "feedback"]
        cls.steps = {code: cls.env.ref(f"crm_vertrieb.acquisition_step_{code}") for code in codes}
        cls.stages = {code: cls.env.ref(f"crm_vertrieb.stage_acquisition_{code}") for code in codes}
        cls.industry = cls.env["res.partner.industry"].create({"name": "Bauwesen"})
        cls.channel = cls.env.ref("crm_vertrieb.sales_channel_field")
        # the research step requires a sales territory (care feature); one without ranges matches no address
        cls.territory = cls.env["vertrieb.territory"].create({"name": "Baden-Württemberg"})
        cls.decision_maker = cls.env["res.partner"].create(
            {"name": "Stefan Müller", "parent_id": cls.customer.id, "function": "Geschäftsführer"}
        )

    @classmethod
    def _lead(cls, step="research", user=None, **vals):
        values = {
            "name": "Wartungsvertrag Baumaschinen",
            "type": "opportunity",
            "team_id": cls.team.id,
            "user_id": (user or cls.user_sales_1).id,
            "stage_id": cls.stages[step].id,
        }
        values.update(vals)
        if step == "research":
            return cls.env["crm.lead"].create(values)
        # test setup directly in a later step: the gates of the earlier steps are overridden
        Lead = cls.env["crm.lead"].with_user(cls.user_manager)
        return Lead._vertrieb_create_overriding_gate([values], "Testaufbau").with_user(cls.env.user)

    def _fill(self, leads, up_to):
        """Fill the required information of every step before ``up_to`` (a step code)."""
        values = {}
        for code in self.steps:
            if code == up_to:
                break
            values.update(self._step_values(code, leads))
        leads.write(values)

    def _step_values(self, code, leads):  # noqa: PLR0911
        if code == "research":
            return {
                "vertrieb_target_group": "Bauunternehmen",
                "vertrieb_industry_id": self.industry.id,
                "vertrieb_territory_id": self.territory.id,
                "vertrieb_revenue_class": "medium",
                "vertrieb_channel_id": self.channel.id,
            }
        if code == "identification":
            return {
                "partner_id": self.customer.id,
                "vertrieb_decision_maker_id": self.decision_maker.id,
                "vertrieb_decision_maker_role": "Geschäftsführer",
            }
        if code == "contact":
            return {
                "vertrieb_decision_maker_confirmed": "yes",
                "vertrieb_verification_event_id": self._meeting(leads[:1]).id,
            }
        if code == "needs":
            return {
                "vertrieb_need": "Ausfallzeiten senken",
                "vertrieb_customer_budget": 50000,
                "vertrieb_decision_criteria": "Preis, Reaktionszeit",
                "vertrieb_presentation_date": fields.Date.today() - timedelta(days=1),
                "vertrieb_presentation_participant_ids": [Command.set(self.decision_maker.ids)],
                "vertrieb_more_info_requested": True,
                "vertrieb_more_info_answer": "Referenzliste und Wartungsplan geschickt",
            }
        if code == "argumentation":
            return {"vertrieb_offer_amount": 48000, "vertrieb_offer_date": fields.Date.today()}
        if code == "contract":
            return {"vertrieb_contract_date": fields.Date.today()}
        if code == "closing":
            return {"vertrieb_contract_signed_date": fields.Date.today()}
        return {}

    @contextmanager
    def assertRefused(self, exception, pattern):
        """assertRaises (rolled back to a savepoint, like the RPC call) and the message matches ``pattern``."""
        with self.assertRaises(exception) as error:
            yield error
        self.assertRegex(str(error.exception), pattern)

    def _meeting(self, lead, hours=-2, attendees=None, **vals):
        """A verification appointment ``hours`` from now (negative: in the past) with the decision maker."""
        start = fields.Datetime.now() + timedelta(hours=hours)
        return self.env["calendar.event"].create(
            {
                "name": "Verifizierungstermin",
                "start": start,
                "stop": start + timedelta(hours=1),
                "opportunity_id": lead.id,
                "partner_ids": [Command.set((attendees or self.decision_maker).ids)],
                **vals,
            }
        )

    def _invoice(self, lead=None, partner=None, amount=1000.0, move_type="out_invoice", post=True, **vals):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": fields.Date.today(),
                "vertrieb_lead_id": lead.id if lead else False,
                "invoice_line_ids": [Command.create({"name": "Wartung", "quantity": 1, "price_unit": amount})],
                **vals,
            }
        )
        if post:
            move.action_post()
        return move

    def _pay(self, invoice):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
            ._create_payments()
        )


class CompetitorDealsCommon(AcquisitionCommon):
    """Two competitors and a lost reason; deals with competitors, won or lost to one (the competitor
    tests and the stored rows of the competitor analysis)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Competitor = cls.env["vertrieb.competitor"]
        cls.alpha = Competitor.create({"name": "Alpha Technik", "price_level": "low"})
        cls.beta = Competitor.create({"name": "Beta Service", "price_level": "premium"})
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Preis zu hoch"})

    def _deal(self, name, revenue, competitors, main=None):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "team_id": self.team_1.id,
                "user_id": self.user_sales_1.id,
                "expected_revenue": revenue,
                "vertrieb_competitor_ids": [Command.set(competitors.ids)],
                "vertrieb_main_competitor_id": main.id if main else False,
            }
        )

    def _lose(self, lead, competitor):
        """Lost through Odoo's wizard, with the reason and the competitor it was lost to."""
        wizard = Form(self.env["crm.lead.lost"].with_context(active_ids=lead.ids, default_lead_ids=lead.ids))
        wizard.lost_reason_id = self.reason
        wizard.vertrieb_lost_to_id = competitor
        wizard.save().action_lost_reason_apply()
