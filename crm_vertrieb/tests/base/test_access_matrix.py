"""The access matrix of crm_vertrieb as data (``access_matrix.csv``) and as a test (issue #12).

For every model of the addon, every SQL view and the core models whose access the addon changes,
``access_matrix.csv`` names per group and operation which records a user of that group may
create, read, write and delete:

    o  their own record                    t  a colleague's record of their sales team
    x  a record of another sales team      c  a record of another company
    -  none of them

The test builds real records of each kind for each user (two companies, two sales teams of the
first company and one of the second), asks Odoo for every user, record and operation whether the
access rights and record rules allow it (``has_access``; for read also ``search``), and fails on
every cell that differs, listing all differences and the table Odoo enforces now.

Access rights and record rules only: business rules on top (gates, module fields, Art. 18) have
their own tests. ``readme/SECURITY.md`` shows the same table.
"""

import csv
from pathlib import Path

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

MATRIX = Path(__file__).with_name("access_matrix.csv")
OPERATIONS = ("create", "read", "write", "unlink")
SCOPES = ("o", "t", "x", "c")

# role -> groups; the users of the first company are members of team A (the team leader leads it)
ROLES = {
    "user": "base.group_user",
    "salesman": "sales_team.group_sale_salesman",
    "salesman_all": "sales_team.group_sale_salesman_all_leads",
    "team_leader": "sales_team.group_sale_salesman",
    "sale_manager": "sales_team.group_sale_manager",
    "complaint_user": "crm_vertrieb.group_complaint_user",
    "complaint_manager": "crm_vertrieb.group_complaint_manager",
    "dpo": "crm_vertrieb.group_dpo",
    "invoice": "account.group_account_invoice",
    "account_manager": "account.group_account_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}


SECURITY_MD = Path(__file__).parents[2] / "readme" / "SECURITY.md"
TABLE_START = "<!-- access-matrix:start (generated from tests/base/access_matrix.csv) -->"
TABLE_END = "<!-- access-matrix:end -->"


def render_markdown(matrix, conditional=None):
    """The matrix as the Markdown table of ``readme/SECURITY.md``: a row per model and operation,
    a column per role; a cell that another installed addon changes shows both (``- / sale: o``)."""
    roles = list(ROLES)
    conditional = conditional or {}
    lines = [
        "| model | op | " + " | ".join(roles) + " |",
        "| --- | --- | " + " | ".join("---" for _role in roles) + " |",
    ]

    def cell(model, role, operation):
        text = matrix.get((model, role), {}).get(operation, "?")
        for (c_model, c_role, module), c_cell in sorted(conditional.items()):
            if (c_model, c_role) == (model, role) and c_cell[operation] != text:
                text += f" / {module}: {c_cell[operation]}"
        return text

    for model in sorted({model for model, _role in matrix}):
        for operation in OPERATIONS:
            cells = [cell(model, role, operation) for role in roles]
            lines.append(f"| `{model}` | {operation[0].upper()} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_matrix(installed=None):
    """``{(model, role): {operation: scopes}}`` for crm_vertrieb alone, and the cells that an
    addon changes when it is installed (rows with a module in the column ``requires``, e.g.
    Odoo's ``sale``, which the bridge ``crm_vertrieb_sale`` installs, gives salespeople their
    invoices): ``{(model, role, module): cell}``. With ``installed`` (the installed modules),
    those rows replace the plain ones."""
    with MATRIX.open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    header, *rows = rows
    assert header == ["model", "role", *OPERATIONS, "requires"], header
    matrix, conditional = {}, {}
    for row in rows:
        model, role, *cells = row
        requires = cells[4] if len(cells) > 4 else ""
        cell = dict(zip(OPERATIONS, cells[:4], strict=True))
        if requires:
            conditional[(model, role, requires)] = cell
        else:
            matrix[(model, role)] = cell
    if installed is not None:
        for (model, role, module), cell in conditional.items():
            if module in installed:
                matrix[(model, role)] = cell
    return matrix, conditional


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        env = cls.env
        cls.company_1 = env.company
        cls.company_2 = env["res.company"].create({"name": "Vertrieb Nord GmbH", "currency_id": env.ref("base.EUR").id})
        env["account.chart.template"].try_loading("generic_coa", company=cls.company_2, install_demo=False)
        env.ref("base.user_root").company_ids = [Command.link(cls.company_2.id)]
        cls.users = {}
        for role, group in ROLES.items():
            groups = group
            if role == "team_leader":
                groups = "sales_team.group_sale_salesman"
            cls.users[role] = new_test_user(env, f"cv_matrix_{role}", groups=groups, name=f"Matrix {role}")
        cls.colleague = new_test_user(env, "cv_matrix_colleague", groups="sales_team.group_sale_salesman")
        cls.stranger = new_test_user(env, "cv_matrix_stranger", groups="sales_team.group_sale_salesman")
        cls.foreigner = new_test_user(
            env,
            "cv_matrix_foreigner",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        internal = [u for role, u in cls.users.items() if role not in ("portal", "public", "team_leader")]
        cls.team_a = env["crm.team"].create(
            {
                "name": "Team A",
                "user_id": cls.users["team_leader"].id,
                "member_ids": [Command.link(u.id) for u in [*internal, cls.colleague]],
            }
        )
        cls.team_b = env["crm.team"].create({"name": "Team B", "member_ids": [Command.link(cls.stranger.id)]})
        cls.team_c = env["crm.team"].create(
            {"name": "Team C", "company_id": cls.company_2.id, "member_ids": [Command.link(cls.foreigner.id)]}
        )
        cls.stage = env.ref("crm_vertrieb.stage_acquisition_research")
        cls.step = env.ref("crm_vertrieb.acquisition_step_research")
        cls.purpose = env.ref("crm_vertrieb.privacy_purpose_customer_care")
        cls.product = env["product.product"].create({"name": "Pumpe P-200", "list_price": 100.0})
        # the records of the colleague, the other team and the other company, shared by all roles
        cls.shared = {
            "t": cls._records(cls.colleague, cls.team_a, cls.company_1, "t"),
            "x": cls._records(cls.stranger, cls.team_b, cls.company_1, "x"),
            "c": cls._records(cls.foreigner, cls.team_c, cls.company_2, "c"),
        }
        env.flush_all()

    # ------------------------------------------------------------------------------------------
    # records
    # ------------------------------------------------------------------------------------------

    @classmethod
    def _records(cls, owner, team, company, tag):
        """One record per model owned by ``owner`` in ``team`` and ``company`` (superuser)."""
        env = cls.env["base"].with_company(company).env
        name = f"{tag}-{owner.login}"
        partner = env["res.partner"].create(
            {"name": f"Kunde {name}", "is_company": True, "user_id": owner.id, "company_id": company.id}
        )
        twin = env["res.partner"].create(
            {"name": f"Kunde {name} (2)", "is_company": True, "user_id": owner.id, "company_id": company.id}
        )
        lead = env["crm.lead"].create(
            {
                "name": f"Chance {name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": owner.id,
                "team_id": team.id,
                "company_id": company.id,
                "stage_id": cls.stage.id,
            }
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_user_id": owner.id,
                # the invoice's sales team comes with Odoo's sale (bridge crm_vertrieb_sale)
                **({"team_id": team.id} if "team_id" in env["account.move"]._fields else {}),
                "company_id": company.id,
                "invoice_date": fields.Date.today(),
                "vertrieb_lead_id": lead.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        invoice.action_post()
        complaint = env["vertrieb.complaint"].create(
            {
                "title": f"Reklamation {name}",
                "partner_id": partner.id,
                "user_id": owner.id,
                "team_id": team.id,
                "company_id": company.id,
                "invoice_ids": [Command.link(invoice.id)],
            }
        )
        consent = env["vertrieb.privacy.consent"].create(
            {"partner_id": partner.id, "purpose_id": cls.purpose.id, "company_id": company.id}
        )
        records = {
            "res.partner": partner,
            "crm.lead": lead,
            "account.move": invoice,
            "account.move.line": invoice.invoice_line_ids[:1],
            "vertrieb.complaint": complaint,
            "vertrieb.lead.step.history": lead.vertrieb_step_history_ids[:1],
            # the schedule is proposed when the lead enters the acquisition pipeline
            "vertrieb.lead.step.plan": env["vertrieb.lead.step.plan"].search(
                [("lead_id", "=", lead.id), ("step_id", "=", cls.step.id)]
            )
            or env["vertrieb.lead.step.plan"].create(
                {"lead_id": lead.id, "step_id": cls.step.id, "date_planned": fields.Date.today()}
            ),
            "vertrieb.kpi.target": env["vertrieb.kpi.target"].create(
                {"user_id": owner.id, "company_id": company.id, "target_value": 10.0}
            ),
            "vertrieb.kpi.contact.line": env["vertrieb.kpi.contact.line"].create(
                {
                    "source": "activity",
                    "contact_type": "call",
                    "date_done": fields.Datetime.now(),
                    "date": fields.Date.today(),
                    "user_id": owner.id,
                    "team_id": team.id,
                    "lead_id": lead.id,
                    "partner_id": partner.id,
                    "company_id": company.id,
                }
            ),
            "vertrieb.customer.value": env["vertrieb.customer.value"].create(
                {"partner_id": partner.id, "revenue_12m": 100.0, "abc_class": "a"}
            ),
            "vertrieb.partner.duplicate": env["vertrieb.partner.duplicate"].create(
                {"partner_a_id": partner.id, "partner_b_id": twin.id, "company_id": company.id, "score": 80.0}
            ),
            "vertrieb.privacy.consent": consent,
            "vertrieb.privacy.consent.history": env["vertrieb.privacy.consent.history"].search(
                [("consent_id", "=", consent.id)], limit=1
            )
            or env["vertrieb.privacy.consent.history"].create({"consent_id": consent.id}),
            "vertrieb.privacy.audit": env["vertrieb.privacy.audit"]._vertrieb_log(partner, "export", "Matrix"),
            "vertrieb.privacy.request": env["vertrieb.privacy.request"].create(
                {"partner_id": partner.id, "request_type": "access", "company_id": company.id, "user_id": owner.id}
            ),
            # configuration: one record per company (own, colleague's and other team's are alike)
            "vertrieb.sales.channel": env["vertrieb.sales.channel"].create(
                {"name": f"Kanal {name}", "code": name, "company_id": company.id}
            ),
            "vertrieb.acquisition.step": env["vertrieb.acquisition.step"].create(
                {"name": f"Schritt {name}", "code": name, "sequence": 99}
            ),
            "vertrieb.complaint.stage": env["vertrieb.complaint.stage"].create({"name": f"Stufe {name}"}),
            "vertrieb.complaint.category": env["vertrieb.complaint.category"].create(
                {"name": f"Kategorie {name}", "company_id": company.id}
            ),
            "vertrieb.complaint.sla.policy": env["vertrieb.complaint.sla.policy"].create(
                {"name": f"SLA {name}", "company_id": company.id}
            ),
            "vertrieb.privacy.purpose": env["vertrieb.privacy.purpose"].create(
                {"name": f"Zweck {name}", "code": name, "company_id": company.id}
            ),
        }
        records["vertrieb.privacy.retention.rule"] = env["vertrieb.privacy.retention.rule"].search(
            [("company_id", "=", company.id)], limit=1
        ) or env["vertrieb.privacy.retention.rule"].create(
            {"name": f"Frist {name}", "kind": "letter", "months": 72, "company_id": company.id}
        )
        # acquisition: a competitor of the company on the lead, a cost entry, the shared next-action
        # configuration
        competitor = env["vertrieb.competitor"].create({"name": f"Wettbewerber {name}", "company_id": company.id})
        lead.vertrieb_competitor_ids = [Command.link(competitor.id)]
        records["vertrieb.competitor"] = competitor
        records["vertrieb.acquisition.cost"] = env["vertrieb.acquisition.cost"].create(
            {"lead_id": lead.id, "name": f"Reise {name}", "amount": 100.0, "company_id": company.id}
        )
        records["vertrieb.acquisition.trigger"] = env["vertrieb.acquisition.trigger"].search([], limit=1)
        # customer care: the customer's rhythm row (written by the module's refresh) and a
        # territory of the owner with a ZIP range of its own (territories may not overlap)
        env["vertrieb.customer.care"]._vertrieb_refresh(partner_ids=partner.ids)
        records["vertrieb.customer.care"] = env["vertrieb.customer.care"].search([("partner_id", "=", partner.id)])
        cls._zip_block = getattr(cls, "_zip_block", 0) + 1
        zip_from = f"{10000 + cls._zip_block * 100:05d}"
        territory = env["vertrieb.territory"].create(
            {
                "name": f"Gebiet {name}",
                "company_id": company.id,
                "user_id": owner.id,
                "team_id": team.id,
                "range_ids": [
                    Command.create(
                        {"country_id": env.ref("base.de").id, "zip_from": zip_from, "zip_to": zip_from[:3] + "99"}
                    )
                ],
            }
        )
        records["vertrieb.territory"] = territory
        records["vertrieb.territory.range"] = territory.range_ids
        # SQL views: the rows of this owner's documents
        env.flush_all()
        for view, domain in (
            ("vertrieb.kpi.contact", [("user_id", "=", owner.id)]),
            ("vertrieb.kpi.conversion", [("lead_id", "=", lead.id)]),
            ("vertrieb.kpi.contact.day", [("user_id", "=", owner.id)]),
            ("vertrieb.kpi.contact.summary", [("user_id", "=", owner.id), ("source", "=", "contact")]),
            ("vertrieb.kpi.conversion.stage", [("user_id", "=", owner.id)]),
            ("vertrieb.kpi.sales", [("move_id", "=", invoice.id)]),
            ("vertrieb.complaint.customer.report", [("partner_id", "=", partner.id)]),
            ("vertrieb.competitor.report", [("lead_id", "=", lead.id)]),
            ("vertrieb.acquisition.cost.report", [("lead_id", "=", lead.id)]),
        ):
            records[view] = env[view].search(domain, limit=1)
        return records

    # ------------------------------------------------------------------------------------------
    # the test
    # ------------------------------------------------------------------------------------------

    def _scope_records(self, role, model):
        records = {} if role in ("portal", "public") else {"o": self.own[role][model]}
        records.update({scope: self.shared[scope][model] for scope in ("t", "x", "c")})
        for scope, record in records.items():
            self.assertEqual(len(record), 1, f"no {scope} record of {model}")
        # the records in the test's plain environment (not the company context they were made in)
        return {scope: self.env[model].browse(record.id) for scope, record in records.items()}

    def _actual(self, role, model):
        user = self.users[role]
        records = self._scope_records(role, model)
        cell = {
            operation: "".join(
                scope for scope, record in records.items() if record.with_user(user).has_access(operation)
            )
            or "-"
            for operation in OPERATIONS
        }
        # reading and searching agree
        Model = self.env[model].with_user(user)
        visible = Model.search([("id", "in", [r.id for r in records.values()])]) if Model.has_access("read") else Model
        searched = "".join(scope for scope, record in records.items() if record in visible) or "-"
        return cell, searched

    def test_access_matrix(self):
        installed = set(self.env["ir.module.module"].sudo().search([("state", "=", "installed")]).mapped("name"))
        expected, _conditional = load_matrix(installed)
        models = sorted({model for records in self.shared.values() for model in records})
        self.own = {
            role: self._records(user, self.team_a, self.company_1, "o")
            for role, user in self.users.items()
            if role not in ("portal", "public")
        }
        # the addon's every model and SQL view is in the matrix
        ours = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "crm_vertrieb" and not model._abstract and not model._transient
        }
        self.assertFalse(ours - set(models), "models of the addon missing from the access matrix")
        differences, table = [], []
        for model in models:
            for role in ROLES:
                cell, searched = self._actual(role, model)
                table.append(",".join([model, role, *(cell[op] for op in OPERATIONS)]))
                want = expected.get((model, role))
                if want != cell:
                    differences.append(f"{model} / {role}: expected {want}, Odoo allows {cell}")
                if searched != cell["read"]:
                    differences.append(f"{model} / {role}: search finds {searched}, read allows {cell['read']}")
        if differences:
            listing, now = "\n".join(differences), "\n".join(table)
            self.fail(
                f"The access matrix differs in {len(differences)} cells:\n{listing}\n\n"
                f"What Odoo enforces now:\nmodel,role,{','.join(OPERATIONS)}\n{now}"
            )

    def test_security_md_shows_the_matrix(self):
        text = SECURITY_MD.read_text(encoding="utf-8")
        self.assertIn("## Access matrix", text)
        table = text.split(TABLE_START, 1)[-1].split(TABLE_END, 1)[0].strip()
        self.assertEqual(
            table, render_markdown(*load_matrix()), "readme/SECURITY.md does not show tests/base/access_matrix.csv"
        )
