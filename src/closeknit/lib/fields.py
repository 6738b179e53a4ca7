"""Model fields shared by the apps."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Lookup

from closeknit.lib import crypto


class EncryptedField:
    """Marks a field whose column holds Fernet tokens (key rotation finds them by this)."""


class EncryptedTextField(EncryptedField, models.TextField):
    """Free text stored as a Fernet token; Python code only ever sees plaintext.

    The empty string stays empty so "has a note" needs no decryption.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)


if TYPE_CHECKING:
    _MultiChoiceBase = models.Field[list[str] | str, list[str]]
else:
    _MultiChoiceBase = models.Field


class MultiChoiceField(_MultiChoiceBase):
    """A set of slugs from one vocabulary, stored as ",a,b," so any database can filter it.

    Filter with the `has` lookup: `Person.objects.filter(roles__has="friend")`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "CharField"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 255:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @staticmethod
    def _split(value: str) -> list[str]:
        return [part for part in value.split(",") if part]

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        return self._split(value or "")

    def to_python(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return self._split(value)
        return list(value)

    def get_prep_value(self, value: Any) -> str:
        items = self.to_python(value)
        if not items:
            return ""
        return "," + ",".join(sorted(set(items))) + ","

    def validate(self, value: Any, model_instance: Any) -> None:
        allowed = {str(choice) for choice, _label in self.choices or []}
        for item in self.to_python(value):
            if item not in allowed:
                raise ValidationError(
                    "%(value)r is not one of the allowed values.",
                    code="invalid_choice",
                    params={"value": item},
                )
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(
        self,
        form_class: Any = None,
        choices_form_class: Any = None,
        **kwargs: Any,
    ) -> Any:
        from django import forms

        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("coerce", str)
        kwargs.setdefault("required", not self.blank)
        return super().formfield(
            form_class=form_class,
            choices_form_class=choices_form_class or forms.TypedMultipleChoiceField,
            **kwargs,
        )

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj))


@MultiChoiceField.register_lookup
class Has(Lookup):
    """`field__has="slug"`: the set contains that one slug."""

    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Escape LIKE's wildcards ("_" appears in slugs such as support_group).
        needle = str(self.rhs).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s ESCAPE '\\'", [*lhs_params, f"%,{needle},%"]


def slugs(values: Iterable[str]) -> list[str]:
    """A sorted list without duplicates, the canonical form of a MultiChoiceField value."""
    return sorted(set(values))


class EncryptedJSONField(EncryptedField, models.TextField):
    """A JSON document stored as one Fernet token (for structured private text, like a safety plan)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if not value:
            return {}
        return json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, sort_keys=True, ensure_ascii=False))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))
