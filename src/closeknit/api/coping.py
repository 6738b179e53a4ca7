"""/api/v1/coping-strategies: the member's coping strategies and how much each one helped.

The list comes most helpful first, ranked as on the coping page (recovery/coping.py);
`score` is the number behind that order and `uses` how many uses it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, Notes, UtcDateTime, patch_schema
from closeknit.api.values import in_zone
from closeknit.api.writes import InvalidInput, mark_archived
from closeknit.recovery import coping
from closeknit.recovery.models import CopingStrategy, CopingUse

router = Router(tags=["coping strategies"])

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Helped = Annotated[int, Field(ge=coping.HELPED_MIN, le=coping.HELPED_MAX)]
SCORE_DIGITS = 2
# A use is noted once it has happened; a little slack covers a clock or zone mix-up.
FUTURE_SLACK = timedelta(hours=12)


class StrategyIn(Input):
    title: Title
    description: Notes = ""
    archived: bool = False


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    StrategyPatch = StrategyIn
else:
    StrategyPatch = patch_schema(StrategyIn, "StrategyPatch")


class StrategyOut(Schema):
    id: int
    title: str
    description: str
    archived: bool
    uses: int = Field(description="How many times you noted using it; read-only.")
    score: float | None = Field(
        description="How much it helps, 1 to 5, pulled towards 3 while there are few uses; "
        "null until it is used. Read-only."
    )
    last_used_at: UtcDateTime | None

    @staticmethod
    def resolve_archived(obj: CopingStrategy) -> bool:
        return obj.archived_at is not None

    @staticmethod
    def resolve_uses(obj: Any) -> int:
        return int(obj.use_count)

    @staticmethod
    def resolve_score(obj: Any) -> float | None:
        value = coping.score(obj.helped_total or 0, obj.use_count)
        return None if value is None else round(value, SCORE_DIGITS)


class UseIn(Input):
    helped: Helped = Field(description="How much it helped: 1 (not much) to 5 (a lot).")
    note: Notes = ""
    used_at: datetime | None = Field(
        None,
        description="When; without an offset it is read in your time zone. Left out, it is now.",
    )


class UseOut(Schema):
    id: int
    strategy: int
    helped: int
    note: str
    used_at: UtcDateTime

    @staticmethod
    def resolve_strategy(obj: CopingUse) -> int:
        return obj.strategy_id


class StrategyFilters(Schema):
    archived: bool | None = Field(None, description="Leave out for both.")


def strategies(owner: User) -> QuerySet[CopingStrategy]:
    return coping.with_uses(CopingStrategy.objects.owned_by(owner))


def _strategy(request: HttpRequest, strategy_id: int) -> CopingStrategy:
    return get_object_or_404(strategies(request_owner(request)), pk=strategy_id)


def _check(instance: CopingStrategy | CopingUse, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=["owner", *exclude], validate_unique=False)
    except DjangoValidationError as error:
        raise InvalidInput(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from None


def save_strategy(
    owner: User, strategy: CopingStrategy | None, data: Mapping[str, Any]
) -> CopingStrategy:
    fields = dict(data)
    archived = fields.pop("archived", None)
    strategy = strategy or CopingStrategy(owner=owner)
    for name, value in fields.items():
        setattr(strategy, name, value)
    if archived is not None:
        mark_archived(strategy, archived)
    _check(strategy, [])
    strategy.save()
    return strategies(owner).get(pk=strategy.pk)


@router.get(
    "",
    response={200: list[StrategyOut], **ERRORS},
    summary="List your strategies, most helpful first",
)
@paginated
def list_coping_strategies(
    request: HttpRequest, filters: Query[StrategyFilters]
) -> list[CopingStrategy]:
    rows = CopingStrategy.objects.owned_by(request_owner(request))
    if filters.archived is not None:
        rows = rows.filter(archived_at__isnull=not filters.archived)
    return coping.ranked(rows)


@router.post("", response={201: StrategyOut, **ERRORS}, summary="Add a coping strategy")
def create_coping_strategy(request: HttpRequest, payload: StrategyIn) -> Status[CopingStrategy]:
    return Status(201, save_strategy(request_owner(request), None, payload.model_dump()))


@router.get(
    "/{strategy_id}", response={200: StrategyOut, **NOT_FOUND_ERRORS}, summary="One strategy"
)
def get_coping_strategy(request: HttpRequest, strategy_id: int) -> CopingStrategy:
    return _strategy(request, strategy_id)


@router.put(
    "/{strategy_id}", response={200: StrategyOut, **NOT_FOUND_ERRORS}, summary="Replace a strategy"
)
def replace_coping_strategy(
    request: HttpRequest, strategy_id: int, payload: StrategyIn
) -> CopingStrategy:
    strategy = _strategy(request, strategy_id)
    return save_strategy(request_owner(request), strategy, payload.model_dump())


@router.patch(
    "/{strategy_id}", response={200: StrategyOut, **NOT_FOUND_ERRORS}, summary="Change some fields"
)
def update_coping_strategy(
    request: HttpRequest, strategy_id: int, payload: StrategyPatch
) -> CopingStrategy:
    strategy = _strategy(request, strategy_id)
    data = payload.model_dump(exclude_unset=True)
    return save_strategy(request_owner(request), strategy, data)


@router.delete(
    "/{strategy_id}", response={204: None, **NOT_FOUND_ERRORS}, summary="Delete a strategy"
)
def delete_coping_strategy(request: HttpRequest, strategy_id: int) -> Status[None]:
    # The uses noted for it go too: they only mean something with their strategy.
    _strategy(request, strategy_id).delete()
    return Status(204, None)


@router.post(
    "/{strategy_id}/uses",
    response={201: UseOut, **NOT_FOUND_ERRORS},
    summary="Note that you used a strategy, and how much it helped",
)
def create_coping_use(request: HttpRequest, strategy_id: int, payload: UseIn) -> Status[CopingUse]:
    owner = request_owner(request)
    strategy = _strategy(request, strategy_id)
    now = timezone.now()
    used_at = in_zone(payload.used_at, owner.zone) if payload.used_at else now
    if used_at > now + FUTURE_SLACK:
        raise InvalidInput({"used_at": "That's still ahead; note a use once it has happened."})
    use = CopingUse(
        owner=owner, strategy=strategy, helped=payload.helped, note=payload.note, used_at=used_at
    )
    _check(use, ["strategy"])
    use.save()
    return Status(201, use)
