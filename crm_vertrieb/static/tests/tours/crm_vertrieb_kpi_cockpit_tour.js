import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_kpi_cockpit_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Steering app",
            trigger: '.o_app[data-menu-xmlid="crm_vertrieb.menu_vertrieb_root"]',
            run: "click",
        },
        {
            content: "The activity rate table renders",
            trigger: ".o_vertrieb_cockpit .o_vertrieb_cockpit_contacts",
        },
        {
            content: "Click the number of opportunities of a pipeline step",
            trigger: '.o_vertrieb_cockpit_pipeline tr:contains("Cockpit-Stufe") .o_vertrieb_cockpit_stage',
            run: "click",
        },
        {
            content: "Open the opportunity behind the number",
            trigger: '.o_list_renderer .o_data_row .o_data_cell:contains("Cockpit-Chance")',
            run: "click",
        },
        {
            content: "The opportunity form opens",
            trigger: '.o_form_view .o_breadcrumb:contains("Cockpit-Chance")',
        },
    ],
});
