from . import vertrieb_privacy_export_wizard
from . import vertrieb_privacy_erasure_wizard
from . import vertrieb_privacy_restrict_wizard
from . import base_partner_merge_automatic_wizard
