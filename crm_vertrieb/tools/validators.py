"""Validators of the information-quality feature (Informationsqualität): e-mail, phone, VAT,
IBAN, ZIP. They return a translated German reason instead of raising, so one record can report
several problems. Plain Python, no Odoo model; ``env`` is only used for translation."""

import re

from stdnum import get_cc_module
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from odoo.exceptions import UserError
from odoo.tools import email_normalize

try:
    import phonenumbers
except ImportError:  # pragma: no cover - declared in external_dependencies
    phonenumbers = None

from odoo.addons.phone_validation.tools import phone_validation

from .partner_keys import vat_key

_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]{2,}")
# a plain address (dot-separated atoms, a domain with a letter TLD) that the full check accepts too
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# ZIP patterns per country code (countries without an entry are not checked)
ZIP_PATTERNS = {
    "DE": (r"\d{5}", "5"),
    "AT": (r"\d{4}", "4"),
    "CH": (r"\d{4}", "4"),
    "LI": (r"\d{4}", "4"),
    "BE": (r"\d{4}", "4"),
    "DK": (r"\d{4}", "4"),
    "LU": (r"\d{4}", "4"),
    "HU": (r"\d{4}", "4"),
    "FR": (r"\d{5}", "5"),
    "IT": (r"\d{5}", "5"),
    "ES": (r"\d{5}", "5"),
    "FI": (r"\d{5}", "5"),
    "NL": (r"\d{4} ?[A-Z]{2}", "1234 AB"),
    "PL": (r"\d{2}-\d{3}", "12-345"),
    "CZ": (r"\d{3} ?\d{2}", "123 45"),
    "US": (r"\d{5}(-\d{4})?", "12345"),
}


# ------------------------------------------------------------------------------------------------
# Validators: return False when valid, else a translated reason
# ------------------------------------------------------------------------------------------------


def _stdnum_reason(env, exc):
    if isinstance(exc, InvalidChecksum):
        return env._("check digit")
    if isinstance(exc, InvalidLength):
        return env._("wrong length")
    if isinstance(exc, InvalidComponent):
        return env._("unknown country code or part")
    if isinstance(exc, InvalidFormat):
        return env._("wrong format")
    return env._("not valid")


def check_email(env, email):
    if not email:
        return False
    if len(email) <= 254 and _PLAIN_EMAIL.fullmatch(email):
        return False  # the usual plain address: valid without the (slower) full parse
    if len(email) > 254 or not _EMAIL.fullmatch(email.strip()) or not email_normalize(email, strict=True):
        return env._("E-mail address invalid: %(email)s is not a valid address", email=email[:80])
    return False


def check_phone(env, number, country_code):
    if not number:
        return False
    try:
        phone_validation.phone_parse(number, country_code or None)
    except UserError as exc:
        return env._("Phone number %(number)s invalid: %(reason)s", number=number[:40], reason=exc.args[0])
    except Exception:
        return env._("Phone number %(number)s invalid: cannot be read", number=number[:40])
    return False


def check_phone_region(env, number, country_code):
    """``(reason, region)`` of a phone number in one parse for the usual valid number: the reason
    as ``check_phone`` gives it, the region as ``phone_country``."""
    if not number:
        return False, False
    if phonenumbers:
        stripped = number.strip()
        try:
            parsed = phonenumbers.parse(stripped, country_code or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            international = stripped.startswith("+")
            return False, (phonenumbers.region_code_for_number(parsed) or False) if international else phone_country(
                number
            )
    return check_phone(env, number, country_code), phone_country(number)


def vat_country(vat):
    """Country code of a VAT number's prefix ('EL' is Greece, 'CHE' Switzerland)."""
    key = vat_key(vat)
    if not key or not key[:2].isalpha():
        return False
    prefix = key[:2]
    return {"EL": "GR", "XI": "GB"}.get(prefix, prefix)


def check_vat(env, vat, country_code):
    if not vat:
        return False
    key = vat_key(vat)
    code = vat_country(vat) or (country_code or "")
    module = get_cc_module(code.lower(), "vat") if code and code.isalpha() and len(code) == 2 else None
    if module is None:
        if code:
            return env._("VAT number invalid: unknown country code %(code)s", code=code[:3])
        return env._("VAT number invalid: country code missing")
    try:
        module.validate(key if vat_country(vat) or code == "CH" else code + key)
    except ValidationError as exc:
        return env._("VAT number invalid: %(reason)s", reason=_stdnum_reason(env, exc))
    except Exception:
        return env._("VAT number invalid: %(reason)s", reason=env._("wrong format"))
    return False


def check_iban(env, acc_number):
    if not acc_number:
        return False
    compact = re.sub(r"\s", "", acc_number).upper()
    if not compact[:2].isalpha():
        return False  # a national account number, not an IBAN: nothing to check offline
    try:
        stdnum_iban.validate(compact)
    except ValidationError as exc:
        return env._("IBAN %(iban)s invalid: %(reason)s", iban=acc_number[:40], reason=_stdnum_reason(env, exc))
    except Exception:
        return env._("IBAN %(iban)s invalid: %(reason)s", iban=acc_number[:40], reason=env._("wrong format"))
    return False


def check_zip(env, zip_code, country_code):
    if not zip_code or not country_code or country_code not in ZIP_PATTERNS:
        return False
    pattern, example = ZIP_PATTERNS[country_code]
    if not re.fullmatch(pattern, zip_code.strip().upper()):
        return env._(
            "ZIP code %(zip)s invalid: %(country)s expects the format %(example)s",
            zip=zip_code[:20],
            country=country_code,
            example=example,
        )
    return False


def phone_country(number):
    """Region of an internationally written number (+43 … → 'AT'), False when national."""
    if not number or not phonenumbers:
        return False
    stripped = number.strip()
    if not stripped.startswith(("+", "00")):
        return False
    try:
        parsed = phonenumbers.parse("+" + stripped.lstrip("+").removeprefix("00"), None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.region_code_for_number(parsed) or False
