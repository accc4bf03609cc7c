import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_quality_quick_create_tour", {
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
            content: "Open the pipeline",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.menu_vertrieb_pipeline"]',
            run: "click",
        },
        {
            content: "Quick create an opportunity in the kanban",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_kanban_quick_create .o_field_widget[name=name] input",
            run: "edit Tippfehler Milliarde",
        },
        {
            content: "Type an amount far above the team's won deals",
            trigger: ".o_kanban_quick_create .o_field_widget[name=expected_revenue] input",
            run: "edit 500000000",
        },
        {
            content: "Leave the field",
            trigger: ".o_kanban_quick_create .o_field_widget[name=name] input",
            run: "click",
        },
        {
            content: "The quick create asks for confirmation like the form",
            trigger: ".o_kanban_quick_create .o_vertrieb_revenue_warning:contains(times the median)",
        },
        {
            content: "Confirm the amount",
            trigger: ".o_kanban_quick_create .o_field_widget[name=vertrieb_revenue_confirmed] input",
            run: "click",
        },
        {
            content: "Add the card",
            trigger: ".o_kanban_quick_create button.o_kanban_add",
            run: "click",
        },
        {
            content: "The opportunity is in the pipeline",
            trigger: ".o_kanban_record:contains(Tippfehler Milliarde)",
        },
    ],
});
