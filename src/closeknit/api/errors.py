"""How the API answers when something is wrong: JSON with a plain message, always."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError

from closeknit.api.schemas import Message, ValidationErrors
from closeknit.api.writes import InvalidInput

if TYPE_CHECKING:
    from ninja import NinjaAPI

# The same words whether the row does not exist or belongs to someone else, so an
# answer never tells a stranger that an id is in use.
NOT_FOUND = "We couldn't find that. It may have been deleted, or the id may be mistyped."

# For the OpenAPI document: the error answers each kind of operation can give.
ERRORS: dict[int, Any] = {401: Message, 422: ValidationErrors}
NOT_FOUND_ERRORS: dict[int, Any] = {**ERRORS, 404: Message}


def field_errors(errors: dict[str, str], location: tuple[str, ...]) -> dict[str, Any]:
    """The body of a 422, in the shape django-ninja uses for schema errors."""
    return {
        "detail": [
            {"loc": [*location, field], "msg": message, "type": "value_error"}
            for field, message in errors.items()
        ]
    }


def install(api: NinjaAPI) -> None:
    # django-ninja types a handler's exception as "instance or class", hence Any below.
    def unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": str(exc)}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="closeknit"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        body = field_errors(exc.errors, exc.location)
        return api.create_response(request, body, status=422)

    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(InvalidInput, invalid)
