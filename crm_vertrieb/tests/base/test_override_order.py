from odoo.exceptions import UserError
from odoo.tests import tagged

from ..acquisition.common import AcquisitionCommon


def feature_chain(model, method):
    """The features of crm_vertrieb overriding ``method`` of ``model``, in the order their code
    runs (the first one is called first and calls super() into the next). A feature whose files
    override it one after the other (one concern per file) counts once."""
    chain = []
    for cls in type(model).__mro__:
        module = cls.__module__
        if method in vars(cls) and module.startswith("odoo.addons.crm_vertrieb.models."):
            feature = module.split(".")[4]
            if not chain or chain[-1] != feature:
                chain.append(feature)
    return chain


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestOverrideOrder(AcquisitionCommon):
    """models/__init__.py imports the features in an order that builds the override chain:
    privacy's guards run before every other feature acts on a record."""

    def test_chain_of_the_core_models(self):
        Lead = self.env["crm.lead"]
        self.assertEqual(feature_chain(Lead, "create"), ["privacy", "quality", "kpi", "acquisition"])
        self.assertEqual(feature_chain(Lead, "write"), ["privacy", "care", "quality", "kpi", "acquisition"])
        self.assertEqual(feature_chain(self.env["res.partner"], "write")[:1], ["privacy"])
        merge = self.env["base.partner.merge.automatic.wizard"]
        chain = []
        for cls in type(merge).__mro__:
            if "_update_foreign_keys" in vars(cls) and cls.__module__.startswith("odoo.addons.crm_vertrieb."):
                chain.append(cls.__module__.split(".")[4])
        # consent evidence is merged first, then duplicate pairs, then customer values; the acquisition
        # cost analysis rebuilds the revenue of the customers after the keys moved
        self.assertEqual(chain, ["privacy", "quality", "kpi", "acquisition"])

    def test_chain_of_the_acquisition_files_of_the_lead(self):
        """The concerns of acquisition's crm.lead (one file each) in the order their code runs: the
        gates' checks come before every other effect, their history first after the write, then the
        report rows, next actions and the budget check."""
        chain = [
            cls.__module__.split(".")[-1]
            for cls in type(self.env["crm.lead"]).__mro__
            if "write" in vars(cls) and cls.__module__.startswith("odoo.addons.crm_vertrieb.models.acquisition.")
        ]
        self.assertEqual(chain, ["crm_lead_costs", "crm_lead_next_actions", "crm_lead_report_rows", "crm_lead_gates"])

    def test_privacy_guard_runs_before_the_acquisition_gates(self):
        """A restricted customer's lead moved forward with missing information: the salesperson
        learns about the restriction (privacy), not about the gate (acquisition), and nothing of the
        lead changes (the gate's history is not written)."""
        lead = self._lead("research", partner_id=self.customer.id)
        self.customer.sudo()._vertrieb_privacy_restrict("Widerspruch des Kunden")
        history = lead.vertrieb_step_history_ids
        with self.assertRaisesRegex(UserError, r"Processing of Müller Bau GmbH is restricted \(Art\. 18 GDPR\)"):
            lead.with_user(self.user_sales_1).write(
                {"stage_id": self.stages["identification"].id, "expected_revenue": 10_000_000}
            )
        self.assertEqual(lead.stage_id, self.stages["research"])
        self.assertEqual(lead.vertrieb_step_history_ids, history)
