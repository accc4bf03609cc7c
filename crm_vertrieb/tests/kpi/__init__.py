from . import test_kpi_contacts
from . import test_kpi_conversion
from . import test_kpi_customer_value
from . import test_kpi_customer_value_company
from . import test_kpi_ledger
from . import test_kpi_targets
from . import test_kpi_tour
from . import test_kpi_ledger_concurrency
