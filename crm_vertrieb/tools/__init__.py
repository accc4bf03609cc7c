from . import partner_keys
from . import validators
from . import duplicate_scoring
