from . import res_company
from . import res_config_settings
from . import vertrieb_partner_duplicate
from . import res_partner
from . import crm_lead
from . import account_move
