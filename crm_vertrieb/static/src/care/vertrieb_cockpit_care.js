import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { VertriebCockpit } from "../kpi/vertrieb_cockpit";

/**
 * Care tile of the sales cockpit: per salesperson the customers due today, overdue and the care
 * coverage; the customers at churn risk. Each number opens the work list behind it.
 */
patch(VertriebCockpit.prototype, {
    openCare(domain, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name,
            res_model: "vertrieb.customer.care",
            domain: domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    },

    openChurn() {
        this.openCare(this.state.data.care.churn_domain, _t("Churn Risk"));
    },
});
