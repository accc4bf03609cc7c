import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Sales cockpit (Vertriebscockpit): this week's and this month's customer contacts per
 * salesperson against their targets, the pipeline by step with its conversion, offers and won
 * deals of the month. Every number opens the records behind it.
 */
export class VertriebCockpit extends Component {
    static template = "crm_vertrieb.VertriebCockpit";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("vertrieb.kpi.target", "get_cockpit_data", []);
    }

    openContacts(cell, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name,
            res_model: "vertrieb.kpi.contact",
            domain: cell.domain,
            views: [
                [false, "list"],
                [false, "pivot"],
            ],
            target: "current",
        });
    }

    openTarget(cell) {
        if (!cell.target_id) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "vertrieb.kpi.target",
            res_id: cell.target_id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openStage(stage) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: stage.name,
            res_model: "crm.lead",
            domain: stage.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openComplaints() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Open complaints"),
            res_model: "vertrieb.complaint",
            domain: this.state.data.complaints.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openConversion() {
        this.action.doAction("crm_vertrieb.vertrieb_kpi_conversion_action");
    }

    openOffers() {
        const data = this.state.data;
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Offers"),
            res_model: "vertrieb.kpi.contact",
            domain: [
                ["contact_type", "=", "offer"],
                ["source", "!=", "target"],
                ["date_done", ">=", data.month_from],
                ["date_done", "<", data.month_to],
            ],
            views: [[false, "list"]],
            target: "current",
        });
    }

    openWon() {
        const data = this.state.data;
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Won Deals"),
            res_model: "crm.lead",
            domain: [
                ["stage_id.is_won", "=", true],
                ["date_closed", ">=", data.month_from],
                ["date_closed", "<", data.month_to],
            ],
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    lightClass(cell) {
        return {
            green: "text-bg-success",
            yellow: "text-bg-warning",
            red: "text-bg-danger",
            none: "text-bg-light",
        }[cell.light];
    }
}

registry.category("actions").add("crm_vertrieb.kpi_cockpit", VertriebCockpit);
