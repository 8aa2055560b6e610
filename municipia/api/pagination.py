"""Page-number pagination, strict about its parameters: a `page` or `page_size` that
is not a whole number in range is refused with 400 rather than silently replaced
by a default, so that a client's mistake shows up at once, and the OpenAPI
document says exactly what is accepted."""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    # DRF also takes ?page=last; the schema promises numbers only.
    last_page_strings = ()

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        number = self._whole_number(request, self.page_query_param)
        # A page past the last one stays DRF's 404 "Invalid page.".
        return 1 if number is None else number

    def _whole_number(self, request, name: str, maximum: int | None = None) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1:
            raise ValidationError({name: [_("Give this parameter once.")]})
        value = values[0]
        number = int(value) if value.isascii() and value.isdigit() else 0
        if number < 1 or (maximum is not None and number > maximum):
            if maximum is None:
                message = _("Enter a whole number of at least 1.")
            else:
                message = _("Enter a whole number from 1 to %(maximum)d.") % {"maximum": maximum}
            raise ValidationError({name: [message]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = (
                    f"Number of results to return per page (default {self.page_size})."
                )
        return parameters
