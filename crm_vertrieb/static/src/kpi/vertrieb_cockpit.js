import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * Weekly customer contacts of one salesperson against their weekly target (Chart.js, the library
 * Odoo's graph views use): bars for the contacts, a line for the target.
 */
export class VertriebTrendChart extends Component {
    static template = "crm_vertrieb.VertriebTrendChart";
    static props = ["labels", "actual", "target", "name"];

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(() => this.renderChart());
        onWillUnmount(() => this.chart && this.chart.destroy());
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
        }
        this.chart = new Chart(this.canvasRef.el, {
            type: "bar",
            data: {
                labels: this.props.labels,
                datasets: [
                    {
                        type: "bar",
                        label: _t("Contacts"),
                        data: this.props.actual,
                        backgroundColor: this.props.actual.map((value, index) => {
                            const target = this.props.target[index];
                            if (!target) {
                                return "#8fa3b8";
                            }
                            return value >= target ? "#28a745" : value >= 0.8 * target ? "#ffc107" : "#dc3545";
                        }),
                    },
                    {
                        type: "line",
                        label: _t("Target"),
                        data: this.props.target,
                        borderColor: "#495057",
                        borderDash: [4, 4],
                        pointRadius: 0,
                        fill: false,
                        spanGaps: true,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: false } },
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
            },
        });
    }
}

/**
 * Sales cockpit (Vertriebscockpit): this week's and this month's customer contacts per
 * salesperson against their targets, the pipeline by step with its conversion, offers and won
 * deals of the month. Every number opens the records behind it.
 */
export class VertriebCockpit extends Component {
    static template = "crm_vertrieb.VertriebCockpit";
    static props = ["*"];
    static components = { VertriebTrendChart };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, extra: null });
        onWillStart(() => this.load());
    }

    async load(teamId = null) {
        const data = await this.orm.call("vertrieb.kpi.target", "get_cockpit_data", []);
        const extra = await this.orm.call("vertrieb.kpi.target", "get_cockpit_trend", [
            data.rows.map((row) => row.user_id),
            teamId,
        ]);
        Object.assign(this.state, { data, extra });
    }

    async onPipelineChange(ev) {
        await this.load(parseInt(ev.target.value));
    }

    openRecords(model, domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name,
            res_model: model,
            domain: domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openTrend(row) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: row.name,
            res_model: "vertrieb.kpi.contact",
            domain: [
                ["source", "!=", "target"],
                ["user_id", "=", row.user_id],
                ["date", ">=", this.state.extra.week_from],
            ],
            context: { group_by: ["date:week"] },
            views: [
                [false, "list"],
                [false, "pivot"],
            ],
            target: "current",
        });
    }

    createTargets() {
        this.action.doAction("crm_vertrieb.vertrieb_kpi_target_action");
    }

    /** A new contacts target for a salesperson without one, for the week or month shown (back in
     * the breadcrumb, the cockpit loads again with it). */
    createTarget(row, period) {
        const data = this.state.data;
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("New target"),
            res_model: "vertrieb.kpi.target",
            views: [[false, "form"]],
            target: "current",
            context: {
                default_scope: "user",
                default_user_id: row.user_id,
                default_kpi: "contacts",
                default_period: period,
                default_date_from: period === "week" ? data.week_start : data.month_start,
            },
        });
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
