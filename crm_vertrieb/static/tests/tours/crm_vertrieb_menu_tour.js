import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales Steering app",
            trigger: '.o_app[data-menu-xmlid="crm_vertrieb.menu_vertrieb_root"]',
            run: "click",
        },
        {
            content: "The app opens on the sales cockpit",
            trigger: ".o_vertrieb_cockpit .o_vertrieb_cockpit_contacts",
        },
        {
            content: "Open the operations menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="crm_vertrieb.menu_vertrieb_operations"]',
            run: "click",
        },
        {
            content: "Open the pipeline",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.menu_vertrieb_pipeline"]',
            run: "click",
        },
        {
            content: "The pipeline kanban renders (its columns: the admin may have no opportunity of their own)",
            trigger: ".o_kanban_renderer .o_kanban_group",
        },
        {
            content: "Open the configuration menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="crm_vertrieb.menu_vertrieb_config"]',
            run: "click",
        },
        {
            content: "Open the sales channels",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_sales_channel_menu"]',
            run: "click",
        },
        {
            content: "The shipped sales channels are listed",
            trigger: '.o_list_renderer .o_data_cell:contains("Field sales")',
        },
    ],
});
