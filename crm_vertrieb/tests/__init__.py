from . import test_i18n
from . import test_sales_channel
from . import test_tour
from . import test_privacy_purpose
from . import test_privacy_erasure
from . import test_privacy_export
from . import test_privacy_tour
