from . import test_i18n
from . import test_sales_channel
from . import test_tour
from . import test_override_order
from . import test_demo
from . import test_access_matrix
from . import test_base_messages
from . import test_multi_company
