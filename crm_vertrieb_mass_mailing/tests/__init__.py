from . import test_mailing_purpose
