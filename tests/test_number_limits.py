"""Number fields say the same limits in the browser (min, max), in the form's
message and in the model's check."""

import pytest

from municipia.funding.forms import PartnerSearchForm
from municipia.networking.forms import GridForm


@pytest.mark.parametrize(
    "form_class, field, low, high",
    [
        (PartnerSearchForm, "partners_sought", 1, 100),
        (GridForm, "slot_minutes", 5, 240),
        (GridForm, "max_requests", 1, 500),
    ],
)
def test_a_number_field_offers_and_checks_the_model_s_limits(db, form_class, field, low, high):
    form = form_class()
    html = str(form[field])
    assert f'min="{low}"' in html and f'max="{high}"' in html
    messages = set()
    for value in (low - 1, -3):
        bound = form_class(data={field: str(value)})
        bound.is_valid()
        [message] = bound.errors[field]
        messages.add(message)
    assert messages == {f"Ensure this value is greater than or equal to {low}."}
    bound = form_class(data={field: str(high + 1)})
    bound.is_valid()
    assert bound.errors[field] == [f"Ensure this value is less than or equal to {high}."]
