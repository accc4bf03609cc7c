from . import vertrieb_acquisition_step
from . import crm_stage
from . import vertrieb_lead_step_history
from . import vertrieb_lead_step_plan
from . import vertrieb_competitor
from . import vertrieb_acquisition_cost
from . import vertrieb_acquisition_trigger

# crm.lead, one concern per file; the later file's create/write runs on top (its code before
# super() first, after super() last): gates, then report rows, next actions, budget check
from . import crm_lead
from . import crm_lead_gates
from . import crm_lead_report_rows
from . import crm_lead_next_actions
from . import crm_lead_costs
from . import crm_lead_schedule
from . import crm_lead_pipeline
from . import crm_lead_invoices
from . import crm_lead_reference
from . import account_move
from . import res_partner
