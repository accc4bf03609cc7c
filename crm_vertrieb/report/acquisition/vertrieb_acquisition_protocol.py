from odoo import api, models

# What is recorded at each step besides its required fields (Akquiseprotokoll)
STEP_EXTRA_FIELDS = {
    "contact": ["vertrieb_verification_held_on"],
    "needs": [
        "vertrieb_presentation_date",
        "vertrieb_presentation_participant_ids",
        "vertrieb_more_info_requested",
        "vertrieb_more_info_answer",
    ],
    "argumentation": ["vertrieb_objections", "vertrieb_verbal_commitment"],
    "feedback": [
        "vertrieb_training_date",
        "vertrieb_feedback_rating",
        "vertrieb_feedback",
        "vertrieb_reference_granted",
        "vertrieb_followup_date",
    ],
}


class ReportAcquisitionProtocol(models.AbstractModel):
    """The acquisition protocol of an opportunity: plan, course, records, costs, contacts, invoices."""

    _name = "report.crm_vertrieb.report_acquisition_protocol"
    _description = "Acquisition Protocol"

    @api.model
    def _get_report_values(self, docids, data=None):
        leads = self.env["crm.lead"].browse(docids)
        leads.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "crm.lead",
            "docs": leads,
            "protocols": {lead.id: self._protocol(lead) for lead in leads},
        }

    @api.model
    def _protocol(self, lead):
        steps = self.env["vertrieb.acquisition.step"].search([])
        history = lead.sudo().vertrieb_step_history_ids.sorted(lambda h: (h.date_enter, h.id))
        rows = []
        for step in steps:
            stays = history.filtered(lambda h, s=step: h.step_id == s)
            plan = lead.vertrieb_plan_ids.filtered(lambda p, s=step: p.step_id == s)[:1]
            names = step.sudo().required_field_ids.mapped("name") + STEP_EXTRA_FIELDS.get(step.code, [])
            rows.append(
                {
                    "step": step,
                    "planned": plan.date_planned,
                    "entered": stays[:1].date_enter,
                    "left": stays[-1:].date_leave,
                    "by": stays.user_id,
                    "records": [
                        (lead._fields[name]._description_string(self.env), self._display(lead, name))
                        for name in dict.fromkeys(names)
                        if name in lead._fields
                    ],
                }
            )
        invoices = lead.sudo().vertrieb_invoice_ids.filtered(lambda m: m.state == "posted")
        return {
            "steps": rows,
            "overrides": history.filtered("overridden"),
            "costs": lead.sudo().vertrieb_cost_ids.sorted(lambda c: (c.date, c.id)),
            "contacts": self._contacts(lead),
            "invoices": invoices,
            "payments": invoices._get_reconciled_payments(),
        }

    @api.model
    def _display(self, lead, name):  # noqa: PLR0911
        field = lead._fields[name]
        value = lead[name]
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if not value:
            return ""
        if field.type in ("many2one", "many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "date":
            return value.strftime("%d.%m.%Y")
        if field.type == "monetary":
            return f"{value:,.2f} {lead.company_currency.symbol or ''}"
        return str(value)

    @api.model
    def _contacts(self, lead):
        """Counted contacts of the opportunity by type (the kpi feature's ledger, when installed)."""
        if "vertrieb.kpi.contact.line" not in self.env:
            return []
        Line = self.env["vertrieb.kpi.contact.line"].sudo()
        labels = dict(Line._fields["contact_type"]._description_selection(self.env))
        groups = Line._read_group([("lead_id", "=", lead.id)], ["contact_type"], ["__count"])
        return [(labels.get(kind, kind), count) for kind, count in groups]
