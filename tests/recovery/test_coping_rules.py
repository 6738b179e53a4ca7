"""Ranking coping strategies: a shrunk mean of how much each helped, never-used ones last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from closeknit.recovery import coping
from closeknit.recovery.coping import Uses
from closeknit.recovery.models import CopingStrategy, CopingUse

T0 = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)


def uses(pk: int, helped: list[int], days_ago: int | None = None) -> Uses:
    last = None
    if helped:
        last = T0 - dt.timedelta(days=days_ago if days_ago is not None else 0)
    return Uses(strategy_id=pk, count=len(helped), helped_total=sum(helped), last_used_at=last)


# The score


def test_score_without_uses_is_none():
    assert coping.score(0, 0) is None


def test_one_use_is_pulled_towards_the_neutral_middle():
    # (5 + 3 × 2) ÷ (1 + 2)
    assert coping.score(5, 1) == pytest.approx(11 / 3)
    assert coping.score(1, 1) == pytest.approx(7 / 3)


def test_many_uses_approach_their_own_mean():
    assert coping.score(4 * 100, 100) == pytest.approx((400 + 6) / 102)
    assert abs(coping.score(4 * 100, 100) - 4) < 0.02


def test_neutral_uses_stay_neutral():
    assert coping.score(3 * 7, 7) == 3.0


def test_score_refuses_negative_counts():
    with pytest.raises(ValueError):
        coping.score(-1, 1)
    with pytest.raises(ValueError):
        coping.score(3, -1)


def test_mean_helped_is_the_plain_average():
    assert coping.mean_helped(0, 0) is None
    assert coping.mean_helped(9, 2) == 4.5


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "not used yet"),
        (1.0, "didn't help much"),
        (1.49, "didn't help much"),
        (1.5, "helped a little"),
        (3.0, "helped somewhat"),
        (3.5, "helped quite a bit"),
        (4.6, "helped a lot"),
        (5.0, "helped a lot"),
    ],
)
def test_helped_words(value, words):
    assert coping.helped_words(value) == words


def test_every_answer_has_a_kind_label():
    assert sorted(coping.HELPED_LABELS) == [1, 2, 3, 4, 5]
    assert coping.HELPED_LABELS[1] == "It didn't help this time"


# The ranking


def test_nothing_to_rank():
    assert coping.rank([]) == []


def test_one_lucky_use_does_not_top_a_reliable_strategy():
    lucky = uses(1, [5])  # 3.67
    reliable = uses(2, [4, 4, 4, 4, 4, 4])  # 3.75
    assert coping.rank([lucky, reliable]) == [2, 1]


def test_more_evidence_of_helping_ranks_higher():
    once = uses(1, [5])
    twice = uses(2, [5, 5])
    assert coping.rank([once, twice]) == [2, 1]


def test_a_strategy_that_does_not_help_ranks_below_an_untested_middle():
    poor = uses(1, [1, 1, 1])
    fair = uses(2, [3])
    assert coping.rank([poor, fair]) == [2, 1]


def test_never_used_come_after_used_ones_even_poor_ones_in_the_order_given():
    never_b = uses(7, [])
    poor = uses(3, [1])
    never_a = uses(5, [])
    assert coping.rank([never_b, poor, never_a]) == [3, 7, 5]


def test_ties_go_to_the_most_recently_used():
    older = uses(1, [4, 2], days_ago=10)
    newer = uses(2, [3, 3], days_ago=1)
    assert coping.rank([older, newer]) == [2, 1]


def test_equal_fractions_tie_exactly_and_go_by_recency():
    # (2 + 6) ÷ 4 == (4 + 6) ÷ 5 == 2.0
    a = uses(1, [1, 1], days_ago=3)
    b = uses(2, [1, 1, 2], days_ago=2)
    assert coping.score(2, 2) == coping.score(4, 3)
    assert coping.rank([a, b]) == [2, 1]


def test_full_ties_are_broken_by_id_for_a_stable_order():
    a = uses(9, [4], days_ago=1)
    b = uses(4, [4], days_ago=1)
    assert coping.rank([a, b]) == [4, 9]


# top_strategies: the one query on top, used by the safety plan


def _strategy(owner, title, helped=(), archived=False, days_ago=0):
    strategy = CopingStrategy.objects.create(
        owner=owner, title=title, archived_at=timezone.now() if archived else None
    )
    for value in helped:
        CopingUse.objects.create(
            owner=owner,
            strategy=strategy,
            helped=value,
            used_at=timezone.now() - dt.timedelta(days=days_ago),
        )
    return strategy


def test_top_strategies_best_first_then_never_used_and_never_archived(member, stranger):
    walk = _strategy(member, "Walk", [5, 5, 4])
    music = _strategy(member, "Music", [3])
    _strategy(member, "Old habit", [5, 5, 5], archived=True)
    breathe = _strategy(member, "Breathing", [])
    _strategy(stranger, "Theirs", [5, 5, 5, 5])
    top = coping.top_strategies(member, 10)
    assert [s.title for s in top] == ["Walk", "Music", "Breathing"]
    assert top[0].use_count == 3 and top[0].helped_total == 14
    assert [s.pk for s in coping.top_strategies(member, 2)] == [walk.pk, music.pk]
    assert breathe.pk not in [s.pk for s in coping.top_strategies(member, 2)]


def test_top_strategies_of_no_one(member):
    assert coping.top_strategies(member, 5) == []
    _strategy(member, "Walk", [4])
    assert coping.top_strategies(member, 0) == []


def test_top_strategies_cost_one_query(member, django_assert_num_queries):
    for n in range(20):
        _strategy(member, f"Strategy {n}", [n % 5 + 1, 3])
    with django_assert_num_queries(1):
        assert len(coping.top_strategies(member, 5)) == 5
