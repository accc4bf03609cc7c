from . import test_i18n
from . import test_sales_channel
from . import test_tour
from . import test_acquisition_gates
from . import test_acquisition_history
from . import test_acquisition_invoice
from . import test_acquisition_tour
