"""Pages of a list: `?limit=50&offset=100`, answered as `{"items": [...], "count": n}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast, get_type_hints

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class Pages(LimitOffsetPagination):
    """Limit/offset pages: 50 rows unless asked, and never more than 500 at once."""

    class Input(Schema):  # replaces the library's defaults (100 rows, no maximum)
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}."
        )
        offset: int = Field(0, ge=0, description="Rows to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def paginated(view: ViewT) -> ViewT:
    """django-ninja's `@paginate(Pages)`, for views in modules with postponed annotations.

    The wrapper that `paginate` builds carries django-ninja's module globals, where our
    annotation strings ("PeopleFilters") cannot be found; so they are resolved first,
    with the view's own globals.
    """
    view.__annotations__ = get_type_hints(view, include_extras=True)
    return cast(ViewT, paginate(Pages)(view))
