import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_care_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Steering app",
            trigger: '.o_app[data-menu-xmlid="crm_vertrieb.menu_vertrieb_root"]',
            run: "click",
        },
        {
            content: "Open the operations menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="crm_vertrieb.menu_vertrieb_operations"]',
            run: "click",
        },
        {
            content: "Open the customer care work list",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_customer_care_menu"]',
            run: "click",
        },
        {
            content: "The due customer is listed",
            trigger: '.o_data_row:contains("Tour Kunde GmbH")',
        },
        {
            content: "Plan a call in one click",
            trigger: '.o_data_row:contains("Tour Kunde GmbH") button[name="action_plan_call"]',
            run: "click",
        },
        {
            content: "The call is planned for today",
            trigger: '.o_data_row:contains("Tour Kunde GmbH") td[name="next_planned_date"]:not(:empty)',
        },
    ],
});
