# One folder per feature; base/ holds only what several features share.
#
# The import order builds the override chain of the core models the features extend (crm.lead,
# res.partner, account.move, ...): a feature imported later inherits from the ones before it, so
# its create/write/unlink run FIRST and call super() into the earlier ones. Privacy is imported
# last on purpose: its Art. 18 guard refuses a restricted partner's lead or edit before any other
# feature acts on it (tests/base/test_override_order.py asserts this order).
from . import base
from . import acquisition
from . import kpi
from . import complaint
from . import quality
from . import care
from . import privacy
