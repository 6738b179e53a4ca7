"""The safety plan's pure rules: normalising, comparing versions, resolving people by id."""

from __future__ import annotations

import pytest

from closeknit.recovery import safety_plan as sp
from closeknit.recovery.safety_plan import Contact, PlanError
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS


def plan(**sections) -> sp.Plan:
    return sp.normalise(sections)


def errors_of(raw) -> dict:
    with pytest.raises(PlanError) as caught:
        sp.normalise(raw)
    return caught.value.errors


# Sections -----------------------------------------------------------------------------


def test_sections_follow_the_shared_vocabulary_in_order():
    assert tuple(sp.SECTIONS) == SAFETY_PLAN_SECTIONS


def test_only_the_social_sections_take_people_and_only_distractions_take_groups():
    with_people = {slug for slug, section in sp.SECTIONS.items() if section.people}
    with_groups = {slug for slug, section in sp.SECTIONS.items() if section.groups}
    assert with_people == {"distractions", "ask_for_help", "professionals"}
    assert with_groups == {"distractions"}


def test_every_section_has_a_title_and_a_hint_in_our_own_words():
    for section in sp.SECTIONS.values():
        assert section.title and section.hint
    assert "Stanley & Brown (2012)" in sp.ATTRIBUTION


# Normalising ----------------------------------------------------------------------------


def test_nothing_sent_is_an_empty_plan_with_every_section():
    result = sp.normalise({})
    assert result == sp.empty_plan()
    assert list(result) == list(SAFETY_PLAN_SECTIONS)
    assert sp.is_empty(result)


def test_one_line_in_one_section():
    result = plan(warning_signs={"items": ["Not sleeping"]})
    assert result["warning_signs"] == {"items": ["Not sleeping"], "people": [], "groups": []}
    assert not sp.is_empty(result)


def test_lines_are_trimmed_and_inner_whitespace_collapsed():
    result = plan(what_matters={"items": ["  my   dog\tBiscuit \n"]})
    assert result["what_matters"]["items"] == ["my dog Biscuit"]


def test_blank_lines_and_duplicates_are_left_out_keeping_the_members_order():
    result = plan(on_my_own={"items": ["Walk", "", "   ", "Music", "Walk", "Bath"]})
    assert result["on_my_own"]["items"] == ["Walk", "Music", "Bath"]


def test_people_keep_their_order_and_appear_once():
    result = plan(ask_for_help={"people": [7, 3, 7, 5]})
    assert result["ask_for_help"]["people"] == [7, 3, 5]


def test_a_line_at_the_limit_is_fine_and_one_over_is_refused_naming_its_place():
    at_limit = "x" * sp.MAX_ITEM_LENGTH
    assert plan(warning_signs={"items": [at_limit]})["warning_signs"]["items"] == [at_limit]
    errors = errors_of({"warning_signs": {"items": ["fine", at_limit + "x"]}})
    assert list(errors) == [("warning_signs", "items", 1)]
    assert str(sp.MAX_ITEM_LENGTH) in errors[("warning_signs", "items", 1)]


def test_too_many_lines_in_one_section_are_refused():
    errors = errors_of({"on_my_own": {"items": [f"idea {n}" for n in range(sp.MAX_ITEMS + 1)]}})
    assert ("on_my_own", "items") in errors


def test_an_unknown_section_is_refused_by_name():
    errors = errors_of({"bogus": {"items": ["x"]}})
    assert list(errors) == [("bogus",)]
    assert "bogus" in errors[("bogus",)] and "warning_signs" in errors[("bogus",)]


def test_an_unknown_part_of_a_section_is_refused():
    errors = errors_of({"warning_signs": {"items": [], "notes": "x"}})
    assert ("warning_signs", "notes") in errors


def test_people_in_a_section_without_people_are_refused():
    errors = errors_of({"warning_signs": {"people": [1]}, "ask_for_help": {"groups": [2]}})
    assert set(errors) == {("warning_signs", "people"), ("ask_for_help", "groups")}


@pytest.mark.parametrize("ids", [["1"], [0], [-4], [True], [1.5], "1,2", [2**63]])
def test_ids_must_be_positive_whole_numbers(ids):
    assert ("distractions", "people") in errors_of({"distractions": {"people": ids}})


@pytest.mark.parametrize("raw", [[], "text", None])
def test_a_section_that_is_not_an_object_is_refused(raw):
    assert ("what_matters",) in errors_of({"what_matters": raw})


def test_lines_that_are_not_text_are_refused_one_by_one():
    errors = errors_of({"what_matters": {"items": ["ok", 3, None]}})
    assert set(errors) == {("what_matters", "items", 1), ("what_matters", "items", 2)}


def test_every_problem_is_named_at_once():
    errors = errors_of({"bogus": {}, "warning_signs": {"people": [1]}})
    assert set(errors) == {("bogus",), ("warning_signs", "people")}


def test_split_lines_reads_a_textarea_one_item_per_line():
    assert sp.split_lines("Walk\r\n\r\n  Call Sam \nBath") == ["Walk", "Call Sam", "Bath"]
    assert sp.split_lines("") == []


def test_a_stored_version_with_something_unreadable_keeps_what_it_can():
    stored = {"warning_signs": {"items": ["Not sleeping"]}, "on_my_own": "broken", "old": {}}
    result = sp.from_stored(stored)
    assert result["warning_signs"]["items"] == ["Not sleeping"]
    assert result["on_my_own"] == sp.empty_section()
    assert sp.from_stored(None) == sp.empty_plan()


# Comparing versions -------------------------------------------------------------------


def test_the_same_plan_is_unchanged_and_no_plan_equals_an_empty_one():
    one = plan(warning_signs={"items": ["Not sleeping"]})
    assert sp.same(one, plan(warning_signs={"items": [" Not   sleeping "]}))
    assert sp.same(None, sp.empty_plan())
    assert not sp.same(None, one)


def test_diff_of_the_first_version_counts_everything_added():
    new = plan(warning_signs={"items": ["a", "b"]}, ask_for_help={"people": [1]})
    assert sp.diff(None, new) == [
        sp.SectionChange("warning_signs", added=2, removed=0),
        sp.SectionChange("ask_for_help", added=1, removed=0),
    ]


def test_diff_of_identical_plans_is_empty():
    one = plan(warning_signs={"items": ["a"]})
    assert sp.diff(one, one) == []
    assert sp.summarise([]) == "No changes."


def test_diff_counts_lines_people_and_groups_together_per_section():
    old = plan(distractions={"items": ["Park"], "people": [1], "groups": [9]})
    new = plan(distractions={"items": ["Park", "Café"], "people": [2], "groups": []})
    (change,) = sp.diff(old, new)
    assert (change.slug, change.added, change.removed, change.reordered) == (
        "distractions",
        2,
        2,
        False,
    )


def test_a_reworded_line_is_one_taken_off_and_one_added():
    (change,) = sp.diff(
        plan(what_matters={"items": ["Dog"]}), plan(what_matters={"items": ["My dog"]})
    )
    assert (change.added, change.removed) == (1, 1)


def test_a_new_order_alone_is_a_change():
    old = plan(ask_for_help={"people": [1, 2]})
    new = plan(ask_for_help={"people": [2, 1]})
    (change,) = sp.diff(old, new)
    assert change.reordered and not change.added and not change.removed
    assert sp.summarise([change]) == "Changed People I can ask for help (put in a new order)."


def test_summary_names_each_changed_section_plainly():
    changes = [
        sp.SectionChange("warning_signs", added=2, removed=0),
        sp.SectionChange("on_my_own", added=0, removed=1),
        sp.SectionChange("what_matters", added=1, removed=1),
    ]
    assert sp.summarise(changes) == (
        "Changed My warning signs (2 added); "
        "Things I can do on my own to take my mind off things (1 taken off) and "
        "What matters most to me (1 added, 1 taken off)."
    )
    assert sp.summarise(changes[:1]) == "Changed My warning signs (2 added)."
    assert sp.summarise(changes, first=True) == "Your first version."


# Whose ids ----------------------------------------------------------------------------


def test_ids_named_anywhere_on_the_plan():
    both = plan(distractions={"people": [1, 2], "groups": [5]}, ask_for_help={"people": [2, 3]})
    assert sp.people_ids(both) == {1, 2, 3}
    assert sp.group_ids(both) == {5}
    assert sp.people_ids(sp.empty_plan()) == set()


def test_unknown_ids_are_named_per_section_with_the_same_words_for_any_id():
    mine = plan(distractions={"people": [1, 99], "groups": [5, 77]}, ask_for_help={"people": [1]})
    errors = sp.unknown_ids(mine, own_people={1}, own_groups={5})
    assert set(errors) == {("distractions", "people"), ("distractions", "groups")}
    assert "99" in errors[("distractions", "people")]
    assert "77" in errors[("distractions", "groups")]
    assert sp.unknown_ids(mine, own_people={1, 99}, own_groups={5, 77}) == {}


def test_sections_naming_a_person_or_group():
    mine = plan(distractions={"people": [1], "groups": [5]}, professionals={"people": [1]})
    assert sp.sections_with_person(mine, 1) == ["distractions", "professionals"]
    assert sp.sections_with_person(mine, 2) == []
    assert sp.sections_with_group(mine, 5) == ["distractions"]
    assert sp.section_titles(["professionals"]) == ["Professionals and crisis lines"]


def test_without_ids_takes_off_only_those():
    mine = plan(distractions={"items": ["Park"], "people": [1, 2], "groups": [5]})
    result = sp.without_ids(mine, people={2}, groups={5})
    assert result["distractions"] == {"items": ["Park"], "people": [1], "groups": []}


# Resolving people and groups ------------------------------------------------------------


SAM = Contact(id=1, name="Sam Rivera", phone="+44 7700 900123")


def test_resolving_shows_current_names_and_call_targets():
    resolved = sp.resolve(plan(ask_for_help={"people": [1]}), {1: SAM}, {})
    (entry,) = resolved.by_slug["ask_for_help"].people
    assert (entry.name, entry.tel, entry.removed) == ("Sam Rivera", "+447700900123", False)
    assert resolved.removed == 0


def test_someone_since_removed_shows_as_no_longer_in_the_network():
    resolved = sp.resolve(
        plan(ask_for_help={"people": [1, 2]}, distractions={"groups": [8]}), {1: SAM}, {}
    )
    people = resolved.by_slug["ask_for_help"].people
    assert [entry.removed for entry in people] == [False, True]
    assert people[1].name == "someone no longer in your network"
    assert people[1].tel == ""
    assert resolved.by_slug["distractions"].groups[0].removed
    assert resolved.removed == 2


def test_an_empty_plan_resolves_to_empty_sections():
    resolved = sp.resolve(sp.empty_plan(), {}, {})
    assert resolved.is_empty
    assert [section.slug for section in resolved.sections] == list(SAFETY_PLAN_SECTIONS)


@pytest.mark.parametrize(
    ("phone", "target"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("07700-900123", "07700900123"),
        ("(0)20 7946 0000", "02079460000"),
        ("116 123", "116123"),
        ("999", "999"),
        ("12", ""),
        ("", ""),
        ("ask at the desk", ""),
        ("1+2+3", "123"),
    ],
)
def test_tel_targets(phone, target):
    assert sp.tel_target(phone) == target


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("85258", "sms:85258"),
        ("HOME to 741741", "sms:741741?body=HOME"),
        ("0477 13 11 14", "sms:0477131114"),
        ("", ""),
        ("Text", ""),
    ],
)
def test_sms_links_for_crisis_lines(text, href):
    assert sp.sms_href(text) == href


def test_who_to_call_puts_helpers_first_skips_the_unreachable_and_repeats_no_one():
    ada = Contact(id=2, name="Ada", phone="0161 496 0000")
    lee = Contact(id=3, name="Lee")  # no phone
    resolved = sp.resolve(
        plan(ask_for_help={"people": [3, 1, 9]}, professionals={"people": [2, 1]}),
        {1: SAM, 2: ada, 3: lee},
        {},
    )
    assert [entry.id for entry in sp.who_to_call(resolved)] == [1, 2]
    assert [entry.id for entry in sp.who_to_call(resolved, limit=1)] == [1]


def test_professionals_first_keeps_each_groups_order():
    people = [
        Contact(id=1, name="Ann", roles=("friend",)),
        Contact(id=2, name="Bo", roles=("doctor",)),
        Contact(id=3, name="Cy"),
        Contact(id=4, name="Di", roles=("friend", "therapist")),
    ]
    ordered = sp.professionals_first(people, ("therapist", "doctor"))
    assert [c.id for c in ordered] == [2, 4, 1, 3]


def test_suggestions_skip_what_is_already_there_and_repeat_nothing():
    mine = plan(on_my_own={"items": ["Walk"]})
    offered = sp.suggestions(["walk", "Music", "music ", "Bath", "", "Tea"], mine, limit=2)
    assert offered == ["Music", "Bath"]
    assert sp.suggestions([], mine) == []


def test_a_stored_version_keeps_long_lines_and_drops_only_what_cannot_be_read():
    long_line = "y" * (sp.MAX_ITEM_LENGTH + 50)
    stored = {"what_matters": {"items": [long_line, 4, " "], "people": [3, "x", 3]}}
    result = sp.from_stored(stored)
    assert result["what_matters"] == {"items": [long_line], "people": [3], "groups": []}


# Printing on one page -----------------------------------------------------------------------


def lines_plan(count: int, length: int, sections: int = 7) -> sp.ResolvedPlan:
    slugs = list(SAFETY_PLAN_SECTIONS)[:sections]
    raw = {
        slug: {"items": [f"{n:02} " + "x" * (length - 3) for n in range(count)]} for slug in slugs
    }
    return sp.resolve(sp.normalise(raw), {}, {})


def test_a_short_plan_prints_at_the_largest_size():
    assert sp.print_size(lines_plan(3, 30), crisis_entries=3) == ("", True)
    assert sp.print_size(sp.resolve(sp.empty_plan(), {}, {}), crisis_entries=3) == ("", True)


def test_a_longer_plan_prints_smaller_to_stay_on_one_page():
    assert sp.print_size(lines_plan(13, 30), crisis_entries=3) == ("dense", True)
    assert sp.print_size(lines_plan(20, 30), crisis_entries=3) == ("densest", True)


def test_a_plan_too_long_for_any_size_says_so():
    assert sp.print_size(lines_plan(12, 299), crisis_entries=3) == ("densest", False)


def test_rows_grow_with_wrapped_lines_people_and_crisis_entries():
    size = sp.PRINT_SIZES[0]
    one_line = sp.print_rows(lines_plan(1, size.line_chars, sections=1), size, 3)
    two_lines = sp.print_rows(lines_plan(1, size.line_chars + 1, sections=1), size, 3)
    assert two_lines == one_line + 1
    assert sp.print_rows(lines_plan(1, 10, sections=1), size, 5) == one_line + 2
    with_people = sp.resolve(sp.normalise({"ask_for_help": {"people": [1, 2]}}), {1: SAM}, {})
    assert sp.print_rows(with_people, size, 3) == 2 + 6 * size.empty_rows


def test_print_sizes_go_from_largest_to_smallest():
    assert [size.css_class for size in sp.PRINT_SIZES] == ["", "dense", "densest"]
