from . import vertrieb_sales_channel
from . import crm_lead
from . import vertrieb_demo
