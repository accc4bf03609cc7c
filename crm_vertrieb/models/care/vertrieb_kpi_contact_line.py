from odoo import api, models
from odoo.tools import SQL


class VertriebKpiContactLine(models.Model):
    _inherit = "vertrieb.kpi.contact.line"

    @api.model
    def _vertrieb_sync(self, message_ids=None, event_ids=None, lead_ids=None, user_ids=None, activity_type_ids=None):
        """Keep the customers' contact rhythm in step with the ledger: the customers of the ledger
        rows of the synced sources, before and after the sync, are refreshed (set-based); a full
        sync refreshes every customer."""
        scope = {
            key: [i for i in ids if isinstance(i, int)]
            for key, ids in (
                ("message_ids", message_ids),
                ("event_ids", event_ids),
                ("lead_ids", lead_ids),
                ("user_ids", user_ids),
                ("activity_type_ids", activity_type_ids),
            )
            if ids is not None
        }
        if scope and not any(scope.values()):
            return super()._vertrieb_sync(message_ids, event_ids, lead_ids, user_ids, activity_type_ids)
        before = self._vertrieb_care_partners(scope) if scope else set()
        deleted, inserted = super()._vertrieb_sync(message_ids, event_ids, lead_ids, user_ids, activity_type_ids)
        Care = self.env["vertrieb.customer.care"].sudo()
        if not scope:
            Care._vertrieb_refresh()
        elif deleted or inserted:
            Care._vertrieb_refresh(list(before | self._vertrieb_care_partners(scope)))
        return deleted, inserted

    @api.model
    def _vertrieb_care_partners(self, scope):
        """Partner ids of the ledger rows of ``scope`` (the ledger's own scope conditions)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT l.partner_id FROM vertrieb_kpi_contact_line l WHERE l.partner_id IS NOT NULL AND (%s)",
                self._vertrieb_scopes(scope)["ledger"],
            )
        )
        return {partner_id for (partner_id,) in rows}
