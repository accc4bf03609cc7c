import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function stageStep(stage) {
    return [
        {
            content: `Move the complaint to ${stage}`,
            trigger: `.o_statusbar_status button.o_arrow_button:contains("${stage}")`,
            run: "click",
        },
        {
            content: `The complaint is in ${stage}`,
            trigger: `.o_statusbar_status button.o_arrow_button_current:contains("${stage}")`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_vertrieb_complaint_tour", {
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
            content: "Open the complaints",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_complaint_menu"]',
            run: "click",
        },
        {
            content: "Create a complaint",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new",
            run: "click",
        },
        {
            content: "Subject",
            trigger: ".o_field_widget[name=title] input",
            run: "edit Pumpen undicht",
        },
        {
            content: "Customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Kunde",
        },
        {
            content: "Pick the customer",
            trigger: '.o-autocomplete--dropdown-item a:contains("Tour Kunde GmbH")',
            run: "click",
        },
        {
            content: "Open the documents",
            trigger: '.o_notebook .nav-link:contains("Documents")',
            run: "click",
        },
        {
            content: "Invoice",
            trigger: ".o_field_widget[name=invoice_ids] input",
            run: "edit /2026/",
        },
        {
            content: "Pick the posted invoice of the customer",
            trigger: '.o_field_widget[name=invoice_ids] .o-autocomplete--dropdown-item a:contains("/2026/")',
            run: "click",
        },
        {
            content: "The invoice is linked",
            trigger: ".o_field_widget[name=invoice_ids] .o_tag",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved with a reference",
            trigger: '.o_field_widget[name=name]:contains("REK/")',
        },
        ...stageStep("Acknowledged"),
        ...stageStep("In Analysis"),
        ...stageStep("Action"),
        ...stageStep("Resolved"),
        {
            content: "Create the credit note",
            trigger: "button[name=action_create_credit_note]",
            run: "click",
        },
        {
            content: "Confirm the credit note",
            trigger: ".modal button[name=action_create]",
            run: "click",
        },
        {
            content: "The posted credit note opens",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Posted")',
        },
        {
            content: "It links back to the complaint",
            trigger: "button[name=action_vertrieb_view_complaints]",
        },
    ],
});
