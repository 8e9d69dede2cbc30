"""Field types of the API's serializers: JSON bodies taken as typed, query parameters that
must hold a value when given, and the shapes the schema states for clients to check."""

import re

from django.core.validators import RegexValidator
from rest_framework import serializers

DB_INT_MAX = 2**31 - 1  # PostgreSQL integer: a larger id names nothing


# JSON bodies are taken as typed: DRF would read 0 as "0", "5" as 5 and true as 1, which is
# not what the schema promises (and schemathesis checks it).


class StrictCharField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # DRF refuses NUL characters (PostgreSQL cannot store them); the schema's pattern says so.
        self.validators.append(RegexValidator(r"^[^\x00]*$"))

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        for choice in self.choices:
            same_kind = isinstance(data, str) == isinstance(choice, str)
            if same_kind and not isinstance(data, bool) and data == choice:
                return choice
        self.fail("invalid_choice", input=data)


# The addresses Django's email validator takes, less its rare forms (quoted local parts,
# IP-address domains, non-ASCII): a whole-value pattern that the schema states and clients
# can check. "format: email" alone would allow more, such as a one-letter top-level domain.
EMAIL_ADDRESS = re.compile(
    r"\A[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z-]{0,61}[A-Za-z]\Z"
)


class EmailAddressField(StrictCharField):
    def __init__(self, **kwargs):
        validator = RegexValidator(EMAIL_ADDRESS, "Enter a valid email address.")
        super().__init__(max_length=254, validators=[validator], **kwargs)


class QueryIntegerField(serializers.IntegerField):
    """A query parameter that is given must be a number: DRF takes `?limit=` as absent."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class QueryChoiceField(serializers.ChoiceField):
    """A query parameter that is given must be one of the choices: DRF takes `?ordering=`
    as absent."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class BlankAsNullCharField(serializers.CharField):
    """The model's "" (not given) read out as null, as the API writes it."""

    def to_representation(self, value):
        return super().to_representation(value) or None
