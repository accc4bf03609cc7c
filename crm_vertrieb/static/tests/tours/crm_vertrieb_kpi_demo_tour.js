import { registry } from "@web/core/registry";

/** A number shown in the cockpit must be a positive integer. */
function positive(helpers, what) {
    const value = parseInt(helpers.anchor.textContent.trim(), 10);
    if (!(value > 0)) {
        throw new Error(`${what}: expected a number above 0, got "${helpers.anchor.textContent.trim()}"`);
    }
}

// The demo sales manager's first screen is the cockpit, with the demo team's figures.
registry.category("web_tour.tours").add("crm_vertrieb_kpi_demo_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The first screen after login is the sales cockpit",
            trigger: ".o_vertrieb_cockpit .o_vertrieb_cockpit_contacts",
        },
        {
            content: "This week's contacts of Thomas Becker are counted",
            trigger: '.o_vertrieb_cockpit_contacts tr[data-user="Thomas Becker"] .o_vertrieb_cockpit_week',
            run(helpers) {
                positive(helpers, "contacts this week");
            },
        },
        {
            content: "This month's contacts of Sabine Wagner are counted",
            trigger: '.o_vertrieb_cockpit_contacts tr[data-user="Sabine Wagner"] .o_vertrieb_cockpit_month',
            run(helpers) {
                positive(helpers, "contacts this month");
            },
        },
        {
            content: "The weekly target shows green for Thomas Becker",
            trigger: '.o_vertrieb_cockpit_contacts tr[data-user="Thomas Becker"] .o_vertrieb_cockpit_light.text-bg-success',
        },
        {
            content: "and red for Jürgen Schulz",
            trigger: '.o_vertrieb_cockpit_contacts tr[data-user="Jürgen Schulz"] .o_vertrieb_cockpit_light.text-bg-danger',
        },
        {
            content: "No empty state: the demo team has targets",
            trigger: ".o_vertrieb_cockpit:not(:has(.o_vertrieb_cockpit_empty))",
        },
        {
            content: "Every salesperson shown has week and month targets; the sales manager is no row",
            trigger:
                '.o_vertrieb_cockpit_contacts:not(:has(.o_vertrieb_no_target)):not(:has(tr[data-user="Katrin Hoffmann"]))',
        },
        {
            content: "Offers this month, whatever the day of installation",
            trigger: ".o_vertrieb_cockpit_offers .fs-2",
            run(helpers) {
                positive(helpers, "offers this month");
            },
        },
        {
            content: "Won deals this month",
            trigger: ".o_vertrieb_cockpit_won .fs-2",
            run(helpers) {
                positive(helpers, "won deals this month");
            },
        },
        {
            content: "The twelve-week trend of Thomas Becker is drawn",
            trigger: '.o_vertrieb_cockpit_trend_user[data-user="Thomas Becker"] .o_vertrieb_trend_chart canvas',
        },
        {
            content: "The acquisition pipeline: leads in its fourth step (needs analysis)",
            trigger: ".o_vertrieb_cockpit_pipeline tbody tr:nth-child(4) .o_vertrieb_cockpit_stage",
            run(helpers) {
                positive(helpers, "leads in the needs analysis");
            },
        },
        {
            content: "Open this week's contacts of Thomas Becker",
            trigger: '.o_vertrieb_cockpit_contacts tr[data-user="Thomas Becker"] .o_vertrieb_cockpit_week',
            run: "click",
        },
        {
            content: "The contacts behind the number are listed",
            trigger: ".o_list_renderer .o_data_row",
        },
    ],
});
