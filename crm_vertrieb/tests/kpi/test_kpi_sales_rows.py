from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import SQL

from ..common import VertriebCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiSalesRows(VertriebCommon):
    """The sales performance report reads stored rows of the posted invoice lines: they follow
    posting, resetting, cancelling, credit notes, deleted invoices and changed posted invoices, in
    the same transaction and at commit, and always equal a full rebuild."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sales = cls.env["vertrieb.kpi.sales"]
        cls.product = cls.env["product.product"].create({"name": "Hydraulikpumpe", "list_price": 1})
        cls.other_product = cls.env["product.product"].create({"name": "Wartungsvertrag", "list_price": 1})
        cls.channel = cls.env.ref("crm_vertrieb.sales_channel_field")

    def _invoice(self, amount, quantity=1, post=True, product=None):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_user_id": self.user_sales_1.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "quantity": quantity,
                            "price_unit": amount / quantity,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _report(self, move):
        """(product, quantity, amount) of the move's report rows, read as the web client does."""
        rows = self.Sales.search_read([("move_id", "=", move.id)], ["product_id", "quantity", "amount"])
        return sorted((row["product_id"][0], row["quantity"], row["amount"]) for row in rows)

    def assertInStep(self):
        """The stored rows equal a full rebuild: rebuilding them changes nothing."""
        self.Sales._vertrieb_sales_apply()
        self.assertEqual(self.Sales._vertrieb_sales_refresh(), (0, 0))

    def test_post_reset_cancel(self):
        move = self._invoice(300, quantity=3, post=False)
        self.assertEqual(self._report(move), [], "a draft is no revenue")
        move.action_post()
        self.assertEqual(self._report(move), [(self.product.id, 3, 300)])
        self.assertInStep()
        move.button_draft()
        self.assertEqual(self._report(move), [])
        self.assertInStep()
        # changed while draft, posted again: the new figures
        move.invoice_line_ids = [Command.update(move.invoice_line_ids.id, {"quantity": 4, "price_unit": 50})]
        move.action_post()
        self.assertEqual(self._report(move), [(self.product.id, 4, 200)])
        move.button_draft()
        move.button_cancel()
        self.assertEqual(self._report(move), [])
        self.assertInStep()

    def test_credit_note_subtracts(self):
        move = self._invoice(500, quantity=5)
        credit = move._reverse_moves([{"invoice_date": fields.Date.today()}])
        self.assertEqual(self._report(credit), [], "a draft credit note subtracts nothing yet")
        credit.action_post()
        self.assertEqual(self._report(credit), [(self.product.id, -5, -500)])
        by_product = dict(
            self.Sales._read_group([("partner_id", "=", self.customer.id)], ["product_id"], ["amount:sum"])
        )
        self.assertEqual(by_product, {self.product: 0})
        self.assertInStep()

    def test_deleted_invoice_takes_its_rows(self):
        move = self._invoice(120)
        self.assertEqual(len(self._report(move)), 1)
        move.button_draft()
        # a German company keeps the audit trail (a posted entry is never deleted): the cascade
        # is what is tested here, as when Odoo itself deletes (force_delete)
        move.with_context(force_delete=True).unlink()
        self.env.flush_all()
        self.assertFalse(self.Sales.search([("partner_id", "=", self.customer.id)]))
        self.assertInStep()

    def test_changed_posted_invoice(self):
        """What may change on a posted invoice (salesperson, sales channel, customer's ABC class) is
        read at once; a line added to a posted invoice counts."""
        move = self._invoice(100)
        self.assertEqual(self.Sales.search([("move_id", "=", move.id)]).user_id, self.user_sales_1)
        move.write({"invoice_user_id": self.user_sales_2.id, "vertrieb_channel_id": self.channel.id})
        self.Sales.invalidate_model()  # a view: read again as the next request of the web client does
        row = self.Sales.search([("move_id", "=", move.id)])
        self.assertEqual((row.user_id, row.channel_id), (self.user_sales_2, self.channel))
        # a product line added in SQL-free ways: through the ORM, with the move posted (as an import)
        self.env["account.move.line"].with_context(check_move_validity=False, skip_invoice_sync=True).create(
            {
                "move_id": move.id,
                "product_id": self.other_product.id,
                "display_type": "product",
                "quantity": 2,
                "balance": -40,
                "account_id": move.invoice_line_ids.account_id.id,
            }
        )
        self.assertEqual(self._report(move), sorted([(self.product.id, 1, 100), (self.other_product.id, 2, 40)]))
        self.assertInStep()

    def test_revenue_target_in_same_transaction(self):
        """A revenue target counts an invoice posted in the same transaction (the target reads the
        stored rows in SQL, without a search of the report first)."""
        target = self.env["vertrieb.kpi.target"].create(
            {
                "user_id": self.user_sales_1.id,
                "kpi": "revenue",
                "period": "month",
                "date_from": fields.Date.today().replace(day=1),
                "target_value": 1000,
            }
        )
        self.assertEqual(target.actual_value, 0)
        self._invoice(250)
        target.invalidate_recordset()
        self.assertEqual(target.actual_value, 250)

    def test_rows_written_at_commit(self):
        """Nobody reads the report after the posting: the rows are written when the transaction
        commits (its pre-commit hooks)."""
        move = self._invoice(80)
        stored = SQL("SELECT COUNT(*) FROM %s WHERE move_id = %s", SQL.identifier(self.Sales._rows_table), move.id)
        self.assertEqual(self.env.execute_query(stored), [(0,)])
        self.env.cr.precommit.run()
        self.assertEqual(self.env.execute_query(stored), [(1,)])
        self.assertInStep()
