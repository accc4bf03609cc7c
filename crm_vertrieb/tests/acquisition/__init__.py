from . import test_acquisition_gates
from . import test_acquisition_history
from . import test_acquisition_invoice
from . import test_acquisition_tour
