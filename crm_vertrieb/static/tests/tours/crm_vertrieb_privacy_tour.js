import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_vertrieb_privacy_tour", {
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
            content: "Open the purpose records",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_privacy_consent_menu"]',
            run: "click",
        },
        {
            content: "Record a new consent",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the person",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Kundin",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Tour Kundin")',
            run: "click",
        },
        {
            content: "Choose the purpose",
            trigger: ".o_field_widget[name=purpose_id] input",
            run: "edit Email advertising",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Email advertising")',
            run: "click",
        },
        {
            content: "Date of consent",
            trigger: ".o_field_widget[name=consent_date] input",
            run: "edit 11/20/2026 10:00:00",
        },
        {
            content: "Channel",
            trigger: ".o_field_widget[name=channel] select",
            run: 'select "web_form"',
        },
        {
            content: "Tied address",
            trigger: ".o_field_widget[name=contact_value] input",
            run: "edit tour.kundin@example.com",
        },
        {
            content: "Consent text",
            trigger: ".o_field_widget[name=consent_text] textarea",
            run: "edit Ja, ich möchte den Newsletter erhalten.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Grant",
            trigger: 'button[name="action_grant"]',
            run: "click",
        },
        {
            content: "The consent is granted",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Granted")',
        },
        {
            content: "Open the data-subject requests",
            trigger: '.o_main_navbar button[data-menu-xmlid="crm_vertrieb.menu_vertrieb_operations"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.vertrieb_privacy_request_menu"]',
            run: "click",
        },
        {
            content: "Open the access request of the person",
            trigger: '.o_data_cell:contains("Tour Kundin")',
            run: "click",
        },
        {
            content: "Carry out the access export",
            trigger: 'button[name="action_open_wizard"]',
            run: "click",
        },
        {
            content: "Export as JSON",
            trigger: '.modal button[name="action_export_json"]',
            run: "click",
        },
        {
            content: "The JSON file is ready to download",
            trigger: '.modal .o_field_widget[name=json_file] :contains("datenauskunft_")',
        },
    ],
});
