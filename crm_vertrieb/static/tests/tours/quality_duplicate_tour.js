import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_quality_duplicate_tour", {
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
            content: "Open the duplicates",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_partner_duplicate_menu"]',
            run: "click",
        },
        {
            content: "The list is grouped by cluster: open the cluster of the seeded pair",
            trigger: '.o_list_renderer .o_group_header:contains("Tourtest Kühlhaus")',
            run: "click",
        },
        {
            content: "The pair is listed with its reasons",
            trigger: '.o_list_renderer .o_data_row:contains("Tourtest Kuehlhaus")',
        },
        {
            content: "Start the merge",
            trigger: '.o_list_renderer .o_data_row:contains("Tourtest Kuehlhaus") button.o_vertrieb_merge',
            run: "click",
        },
        {
            content: "Odoo's merge wizard opens with both contacts",
            trigger: '.modal .o_field_widget[name="partner_ids"] .o_data_row:contains("Tourtest Kuehlhaus")',
        },
        {
            content: "Merge",
            trigger: '.modal button[name="action_merge"]',
            run: "click",
        },
        {
            content: "Close the finished wizard",
            trigger: '.modal button:contains("Close")',
            run: "click",
        },
        {
            content: "Back on the duplicate list",
            trigger: ".o_list_renderer",
        },
    ],
});
