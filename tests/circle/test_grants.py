"""The consent gate: a supporter reaches a member only through an active link and its scopes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import Http404

from closeknit.circle import grants
from closeknit.circle.models import OVERVIEW, AccessEntry, Link
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via

pytestmark = pytest.mark.django_db

ALL = list(Scope.values)


def test_nothing_is_shared_by_default(link):
    assert link.scopes == []
    for scope in Scope.values:
        assert not link.shares(scope)


@pytest.mark.parametrize("scope", ALL)
def test_a_granted_scope_opens_exactly_that_scope(make_link, member, supporter, scope):
    link = make_link(member, supporter, [scope])
    assert grants.grant(supporter, link.pk, scope) == link
    assert grants.grant(supporter, link.pk) == link  # the link itself, for the overview
    for other in set(ALL) - {scope}:
        with pytest.raises(Http404):
            grants.grant(supporter, link.pk, other)


def test_a_stranger_a_visitor_and_the_member_get_404(make_link, member, supporter, stranger):
    link = make_link(member, supporter, ALL)
    for user in (stranger, AnonymousUser(), member):
        for scope in (None, *ALL):
            with pytest.raises(Http404):
                grants.grant(user, link.pk, scope)


@pytest.mark.parametrize("bad", ["abc", None, "", "1.5", -1, 10**12])
def test_a_malformed_or_unknown_id_is_404(link, supporter, bad):
    with pytest.raises(Http404):
        grants.grant(supporter, bad)


def test_an_unknown_scope_is_a_bug_not_a_404(link, supporter):
    with pytest.raises(ValueError):
        grants.grant(supporter, link.pk, "notes")
    with pytest.raises(ValueError):
        grants.with_scope(link.owner, "notes")


def test_revoking_takes_effect_at_once(make_link, member, supporter):
    link = make_link(member, supporter, [Scope.GOALS, Scope.SAFETY_PLAN])
    granted, revoked = grants.set_scopes(link, [Scope.SAFETY_PLAN])
    assert (granted, revoked) == (set(), {Scope.GOALS})
    with pytest.raises(Http404):
        grants.grant(supporter, link.pk, Scope.GOALS)
    assert grants.grant(supporter, link.pk, Scope.SAFETY_PLAN).pk == link.pk


def test_set_scopes_logs_each_change_and_keeps_a_fixed_order(link, member):
    grants.set_scopes(link, [Scope.HELP_REQUESTS, Scope.MOOD_TREND], via=Via.API)
    assert link.scopes == [Scope.MOOD_TREND, Scope.HELP_REQUESTS]
    link.refresh_from_db()
    assert grants.in_order(link.scopes) == [Scope.MOOD_TREND, Scope.HELP_REQUESTS]
    entries = AccessEntry.objects.owned_by(member).order_by("id")
    assert [(e.action, e.part, e.via) for e in entries] == [
        (AccessAction.GRANTED, Scope.MOOD_TREND, Via.API),
        (AccessAction.GRANTED, Scope.HELP_REQUESTS, Via.API),
    ]
    grants.set_scopes(link, [Scope.MOOD_TREND, Scope.HELP_REQUESTS])  # no change, no lines
    assert AccessEntry.objects.owned_by(member).count() == 2


def test_unknown_scopes_change_nothing(link, member):
    grants.set_scopes(link, [Scope.GOALS])
    with pytest.raises(ValueError):
        grants.set_scopes(link, [Scope.MOOD_TREND, "diary"])
    link.refresh_from_db()
    assert link.scopes == [Scope.GOALS]
    assert AccessEntry.objects.owned_by(member).count() == 1


def test_scopes_of_an_ended_link_cannot_be_granted(link):
    grants.end(link, EndedBy.SUPPORTER)
    with pytest.raises(Http404):
        grants.set_scopes(link, [Scope.GOALS])
    link.refresh_from_db()
    assert link.scopes == []


@pytest.mark.parametrize("side", list(EndedBy.values))
def test_either_side_can_end_a_link_once(make_link, member, supporter, side):
    link = make_link(member, supporter, ALL)
    assert grants.end(link, side) is True
    assert grants.end(link, side) is False
    assert link.ended_by == side and link.ended_at is not None
    for scope in (None, *ALL):
        with pytest.raises(Http404):
            grants.grant(supporter, link.pk, scope)
    assert not grants.with_scope(member, Scope.HELP_REQUESTS).exists()
    ended = AccessEntry.objects.owned_by(member).filter(action=AccessAction.ENDED)
    assert ended.count() == 1


def test_an_inactive_account_on_either_side_closes_the_link(make_link, member, supporter):
    link = make_link(member, supporter, ALL)
    supporter.is_active = False
    supporter.save()
    assert not grants.with_scope(member, Scope.GOALS).exists()
    supporter.is_active = True
    supporter.save()
    member.is_active = False
    member.save()
    with pytest.raises(Http404):
        grants.grant(supporter, link.pk)


def test_with_scope_finds_only_the_members_links_that_share_it(
    make_link, make_user, member, supporter, stranger
):
    other = make_user("kit@example.org", display_name="Kit")
    helping = make_link(member, supporter, [Scope.HELP_REQUESTS])
    make_link(member, other, [Scope.GOALS])
    make_link(stranger, other, [Scope.HELP_REQUESTS])  # someone else's circle
    assert list(grants.with_scope(member, Scope.HELP_REQUESTS)) == [helping]


def test_a_new_link_after_an_ended_one_is_allowed_but_two_active_are_not(
    make_link, member, supporter
):
    first = make_link(member, supporter)
    grants.end(first, EndedBy.MEMBER)
    second = make_link(member, supporter)
    assert second.pk != first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(owner=member, supporter=supporter)


def test_record_view_names_the_supporter_as_the_member_knows_them(make_link, member, supporter):
    link = make_link(member, supporter, [Scope.GOALS], name="Sam from the allotment")
    entry = grants.record_view(link)
    assert (entry.owner_id, entry.supporter_name, entry.part) == (
        member.pk,
        "Sam from the allotment",
        OVERVIEW,
    )
    link.person.delete()
    link.refresh_from_db()
    assert grants.supporter_name(link) == "Sam"  # the account's own name once the entry is gone
