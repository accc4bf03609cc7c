from . import vertrieb_acquisition_step
from . import crm_stage
from . import vertrieb_lead_step_history
from . import vertrieb_lead_step_plan
from . import crm_lead
from . import account_move
