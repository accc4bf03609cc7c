import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const LEAD = "Tour Wartungsvertrag";

registry.category("web_tour.tours").add("crm_vertrieb_acquisition_tour", {
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
            content: "Open the acquisition pipeline",
            trigger: '.o-dropdown--menu a[data-menu-xmlid="crm_vertrieb.crm_lead_menu_acquisition"]',
            run: "click",
        },
        {
            content: "The card shows its step progress in the Research column",
            trigger: `.o_kanban_group:has(.o_column_title:contains("Research")) .o_kanban_record:contains("${LEAD}") .o_vertrieb_step_progress`,
        },
        {
            content: "Open the opportunity",
            trigger: `.o_kanban_record:contains("${LEAD}")`,
            run: "click",
        },
        {
            content: "Open the Acquisition page",
            trigger: '.o_notebook .nav-link:contains("Acquisition")',
            run: "click",
        },
        {
            content: "Move to the next step",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The lead is in Identification",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Identification")',
        },
        {
            content: "The statusbar offers the steps of the acquisition process only",
            trigger: '.o_statusbar_status:has(.o_arrow_button_current:contains("Identification")):not(:has(button:contains("Qualified"))):not(:has(button:contains("Proposition")))',
        },
        {
            content: "Move on to Contact Clarification",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The lead is in Contact Clarification",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Contact Clarification")',
        },
        {
            content: "Try the next step although the contact is not clarified",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The gate refuses and lists what is missing",
            trigger: '.modal .modal-body:contains("Contact Is Decision Maker")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Answer: the contact is not the decision maker",
            trigger: 'div[name="vertrieb_decision_maker_confirmed"] .o_radio_item:contains("No") input',
            run: "click",
        },
        {
            content: "The step offers to record the right decision maker",
            trigger: 'button[name="action_vertrieb_wrong_decision_maker"]',
        },
        {
            content: "Try to move on with the answer No",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The gate refuses: the contact is not the decision maker",
            trigger: '.modal .modal-body:contains("the contact is not the decision maker")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Confirm the contact is the decision maker",
            trigger: 'div[name="vertrieb_decision_maker_confirmed"] .o_radio_item:contains("Yes") input',
            run: "click",
        },
        {
            content: "Move to the next step again: the appointment took place with the decision maker",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The lead is in Needs Analysis",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Needs Analysis")',
        },
        {
            content: "Try to move on before the customer asked for more information",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The gate refuses: the request for more information is missing",
            trigger: '.modal .modal-body:contains("the request for more information has not been recorded")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Record the request for more information",
            trigger: 'div[name="vertrieb_more_info_requested"] input',
            run: "click",
        },
        {
            content: "Record the answer",
            trigger: 'div[name="vertrieb_more_info_answer"] textarea',
            run: "edit Referenzliste und Wartungsplan geschickt",
        },
        {
            content: "Move on to Argumentation",
            trigger: 'button[name="action_vertrieb_next_step"]',
            run: "click",
        },
        {
            content: "The lead is in Argumentation",
            trigger: '.o_statusbar_status .o_arrow_button_current:contains("Argumentation")',
        },
        {
            content: "The customer commits verbally",
            trigger: 'div[name="vertrieb_verbal_commitment"] input',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The activity to prepare the contract is planned",
            trigger: '.o-mail-Activity:contains("Prepare contract")',
        },
        {
            content: "Back to the pipeline",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The card moved to the Argumentation column",
            trigger: `.o_kanban_group:has(.o_column_title:contains("Argumentation")) .o_kanban_record:contains("${LEAD}")`,
        },
        {
            content: "Drag the card back to Research: moving backwards is always allowed",
            trigger: `.o_kanban_record:contains("${LEAD}")`,
            run: `drag_and_drop (.o_kanban_group:has(.o_column_title:contains("Research")))`,
        },
        {
            content: "The card is in the Research column",
            trigger: `.o_kanban_group:has(.o_column_title:contains("Research")) .o_kanban_record:contains("${LEAD}")`,
        },
        {
            content: "Drag the lead without decision maker from Identification to Needs Analysis",
            trigger: '.o_kanban_record:contains("Tour Lücke")',
            run: `drag_and_drop (.o_kanban_group:has(.o_column_title:contains("Needs Analysis")))`,
        },
        {
            content: "The gate refuses the drag and drop too, naming what is missing",
            trigger: '.modal .modal-body:contains("Decision Maker")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The refused card stayed in Identification",
            trigger: '.o_kanban_group:has(.o_column_title:contains("Identification")) .o_kanban_record:contains("Tour Lücke")',
        },
    ],
});
