from . import test_privacy_erasure
from . import test_privacy_export
from . import test_privacy_purpose
from . import test_privacy_tour
from . import test_privacy_trust
from . import test_privacy_inventory
from . import test_privacy_messages
from . import test_privacy_multicompany
