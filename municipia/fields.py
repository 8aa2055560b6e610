"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator

from municipia.parsing import MAX_ID


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose posted ids are checked as numbers first: an
    id beyond 64 bits raises OverflowError in SQLite's `pk__in` query (a 500, where
    PostgreSQL finds nothing), and '²' passes `isdigit()` but not `int()`."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            digits = text.removeprefix("-")
            if digits.isdigit() and not (digits.isascii() and int(digits) <= MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:30]},
                )
        return super()._check_values(value)


def number_limits_from_model(form: forms.ModelForm) -> None:
    """Give a model form's number fields the limits their model fields' validators
    set, so that the browser's min and max, the form's own message and the
    model's check agree (a model form otherwise offers min="0" for a count that
    must be at least 1, and answers -3 and 0 with two different messages)."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField):
            continue
        try:
            model_field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        for validator in model_field.validators:
            if isinstance(validator, MinValueValidator):
                field.min_value = validator.limit_value
                field.widget.attrs["min"] = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                field.max_value = validator.limit_value
                field.widget.attrs["max"] = validator.limit_value
        field.validators = [
            v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        if field.min_value is not None:
            field.validators.append(MinValueValidator(field.min_value))
        if field.max_value is not None:
            field.validators.append(MaxValueValidator(field.max_value))
