from markupsafe import Markup, escape

from odoo import api, fields, models


class VertriebPrivacyErasureWizard(models.TransientModel):
    """Art. 17 GDPR erasure in two stages, with a dry run."""

    _name = "vertrieb.privacy.erasure.wizard"
    _description = "Erasure (Art. 17 GDPR)"

    partner_id = fields.Many2one("res.partner", string="Data Subject", required=True)
    request_id = fields.Many2one("vertrieb.privacy.request", string="Request")
    reason = fields.Text(default=lambda self: self.env._("Erasure request of the data subject (Art. 17 GDPR)"))
    dry_run = fields.Html(compute="_compute_dry_run", sanitize=False)
    blocked = fields.Boolean(compute="_compute_dry_run")
    name_lead_count = fields.Integer(compute="_compute_dry_run")
    name_matches = fields.Boolean(
        string="Also Erase Leads Matched by Name",
        help="Leads without a contact and without an email address whose contact or company name equals the "
        "person's name. A name alone does not identify a person: tick only after checking them.",
    )
    result = fields.Text(readonly=True)

    @api.depends("partner_id")
    def _compute_dry_run(self):
        for wizard in self:
            wizard.blocked = False
            wizard.name_lead_count = 0
            if not wizard.partner_id:
                wizard.dry_run = False
                continue
            plan = wizard.partner_id._vertrieb_privacy_erasure_plan()
            blocked = bool(plan["open_moves"]) or wizard.partner_id.vertrieb_legal_hold
            wizard.name_lead_count = len(plan["name_leads"])
            wizard.blocked = blocked
            until = plan["retention_until"]
            rows = [
                (self.env._("Leads and opportunities (anonymised)"), len(plan["leads"])),
                (self.env._("Complaints (anonymised)"), len(plan["complaints"])),
                (self.env._("Messages (content erased)"), len(plan["messages"])),
                (self.env._("Activities"), len(plan["activities"])),
                (self.env._("Attachments"), len(plan["attachments"])),
                (self.env._("Purpose records"), len(plan["consents"])),
                (self.env._("Contacts anonymised now"), len(plan["anonymise_now"])),
            ]
            html = Markup("<h5>%s</h5><ul>") % self.env._("Erased now")
            for label, count in rows:
                html += Markup("<li>%s: %s</li>") % (label, count)
            html += Markup("<li>%s</li></ul>") % self.env._(
                "Email, phone, mobile, website, job position, notes, image and tags"
            )
            html += Markup("<h5>%s</h5><ul>") % self.env._("Kept unchanged, restricted")
            if plan["documented_partners"]:
                html += Markup("<li>%s</li>") % self.env._(
                    "Name, address and VAT number on %(count)s posted accounting entries, until %(date)s "
                    "(§ 147 AO, § 257 HGB); then anonymised by the retention cron.",
                    count=len(plan["posted_moves"]),
                    date=until,
                )
            if plan["letters"]:
                html += Markup("<li>%s</li>") % self.env._(
                    "%(count)s business letters (§ 257 HGB), each until six years after the end of its year; "
                    "then erased by the retention cron.",
                    count=len(plan["letters"]),
                )
            if plan["shared"]:
                html += Markup("<li>%s</li>") % self.env._(
                    "The contact itself: it is used by companies you do not work for; only the data of your "
                    "companies is erased."
                )
            if plan["kept_consents"]:
                html += Markup("<li>%s</li>") % self.env._(
                    "%(count)s purpose records with evidence that must be kept (§ 7a UWG).",
                    count=len(plan["kept_consents"]),
                )
            html += Markup("</ul>")
            if plan["name_leads"]:
                html += Markup('<div class="alert alert-warning">%s</div>') % self.env._(
                    "%(count)s leads match the person by name only (no contact, no email): %(leads)s. They are "
                    "anonymised only if you confirm them below.",
                    count=len(plan["name_leads"]),
                    leads=", ".join(plan["name_leads"][:10].mapped("name")),
                )
            if plan["open_moves"]:
                html += Markup('<div class="alert alert-danger">%s</div>') % self.env._(
                    "Refused: open or draft accounting entries: %(refs)s",
                    refs=", ".join(plan["open_moves"].mapped("display_name")),
                )
            if wizard.partner_id.vertrieb_legal_hold:
                html += Markup('<div class="alert alert-danger">%s</div>') % escape(
                    self.env._("Refused: the partner is under legal hold.")
                )
            wizard.dry_run = html

    def action_erase(self):
        self.ensure_one()
        partner = self.partner_id
        partner._vertrieb_privacy_erase(self.reason, name_matches=self.name_matches)
        if self.request_id:
            self.request_id.message_post(body=self.env._("Erasure carried out (see the audit log)."))
        return {"type": "ir.actions.act_window_close"}
