from markupsafe import escape

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AcquisitionCommon

REPORT = "crm_vertrieb.report_acquisition_protocol"


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionProtocol(AcquisitionCommon):
    def _protocol_lead(self):
        lead = self._lead("research", partner_id=self.customer.id, vertrieb_budget=800)
        self._fill(lead, "needs")
        lead.with_user(self.user_sales_1).write({"stage_id": self.stages["needs"].id})
        # a sales manager skips the needs analysis with a reason
        lead.with_user(self.user_manager)._vertrieb_override_gate(self.stages["argumentation"].id, "Kunde drängt")
        self.env["vertrieb.acquisition.cost"].create(
            [
                {"lead_id": lead.id, "name": "Anreise Stuttgart", "cost_type": "travel", "amount": 350},
                {"lead_id": lead.id, "name": "Musterteile", "cost_type": "samples", "amount": 600},
            ]
        )
        return lead

    def test_protocol_content(self):
        lead = self._protocol_lead()
        invoice = self._invoice(lead, amount=4200)
        html = self.env["ir.actions.report"].with_user(self.user_sales_1)._render_qweb_html(REPORT, lead.ids)[0]
        html = html.decode()
        for text in (
            "Acquisition Protocol",
            lead.name,
            "Research",
            self.steps["feedback"].name,
            "Bauunternehmen",  # recorded in research
            "Stefan Müller",  # the decision maker, recorded in identification
            "Kunde drängt",  # the override and its reason
            "Anreise Stuttgart",
            "Musterteile",
            "The budget is exceeded.",
            invoice.name,
            "Thomas Verkauf",  # who moved the lead
        ):
            self.assertIn(str(escape(text)), html)
        for plan in lead.vertrieb_plan_ids:
            self.assertIn(plan.date_planned.strftime("%m/%d/%Y"), html)


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionProtocolPdf(TestAcquisitionProtocol, HttpCase):
    """wkhtmltopdf loads the report's assets from the running server: an HttpCase serves them
    through the test's transaction (a plain TransactionCase would leave wkhtmltopdf waiting)."""

    def test_protocol_pdf_in_german(self):
        lead = self._protocol_lead()
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        Report = self.env["ir.actions.report"].with_context(lang="de_DE")
        html = Report._render_qweb_html(REPORT, lead.ids)[0].decode()
        for label in ("Akquiseprotokoll", "Kosten und Budget", "Gezählte Kontakte", "Rechnungen und Zahlungen"):
            self.assertIn(label, html)
        # the wkhtmltopdf of the test machine is built without patched Qt and warns about header options
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(REPORT, lead.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
