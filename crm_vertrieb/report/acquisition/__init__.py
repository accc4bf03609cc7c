from . import vertrieb_acquisition_report_rows
from . import vertrieb_competitor_report
from . import vertrieb_acquisition_cost_report
from . import vertrieb_acquisition_protocol
