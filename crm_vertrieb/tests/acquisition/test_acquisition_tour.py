from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionTour(HttpCase):
    def test_acquisition_tour(self):
        """Walk one opportunity through the steps in the kanban and the form, hitting a gate."""
        env = self.env
        team = env.ref("crm_vertrieb.team_acquisition")
        team.member_ids = [Command.link(env.ref("base.user_admin").id)]
        customer = env["res.partner"].create({"name": "Tour Kunde GmbH", "is_company": True})
        maker = env["res.partner"].create({"name": "Eva Entscheider", "parent_id": customer.id})
        lead = env["crm.lead"].create(
            {
                "name": "Tour Wartungsvertrag",
                "type": "opportunity",
                "team_id": team.id,
                "user_id": env.ref("base.user_admin").id,
                "stage_id": env.ref("crm_vertrieb.stage_acquisition_research").id,
                "vertrieb_target_group": "Bauunternehmen",
                "vertrieb_industry_id": env["res.partner.industry"].create({"name": "Tourbau"}).id,
                "vertrieb_territory": "Bayern",
                "vertrieb_revenue_class": "small",
                "vertrieb_channel_id": env.ref("crm_vertrieb.sales_channel_field").id,
                "partner_id": customer.id,
                "vertrieb_decision_maker_id": maker.id,
                "vertrieb_decision_maker_role": "Einkauf",
            }
        )
        # created directly in step 2 without the research data (gate overridden for the setup)
        gap = (
            env["crm.lead"]
            .with_context(vertrieb_gate_override_reason="Tour")
            .create(
                {
                    "name": "Tour Lücke",
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": env.ref("base.user_admin").id,
                    "stage_id": env.ref("crm_vertrieb.stage_acquisition_identification").id,
                }
            )
        )
        event = env["calendar.event"].create(
            {
                "name": "Verifizierung",
                "start": fields.Datetime.now(),
                "stop": fields.Datetime.now(),
                "opportunity_id": lead.id,
            }
        )
        lead.vertrieb_verification_event_id = event
        with mute_logger("odoo.http"):  # the refused step is logged as a warning by the RPC layer
            self.start_tour("/odoo", "crm_vertrieb_acquisition_tour", login="admin")
        # dragged back to Research in the kanban
        self.assertEqual(lead.vertrieb_step_id, env.ref("crm_vertrieb.acquisition_step_research"))
        self.assertEqual(
            [line.step_id.code for line in lead.vertrieb_step_history_ids],
            ["research", "needs", "contact", "identification", "research"],
        )
        # the drag of the incomplete lead was refused by the gate
        self.assertEqual(gap.vertrieb_step_id, env.ref("crm_vertrieb.acquisition_step_identification"))
