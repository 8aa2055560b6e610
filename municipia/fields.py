"""Form fields shared by the apps."""

from django import forms

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
