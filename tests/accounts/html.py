"""A tiny HTML reader for tests: find elements and check that forms are labelled."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children_text: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)


class _Reader(HTMLParser):
    VOID = {"input", "br", "img", "meta", "link", "hr", "area", "base", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.children_text.append(data)


class Page:
    def __init__(self, content: bytes | str) -> None:
        reader = _Reader()
        reader.feed(content.decode() if isinstance(content, bytes) else content)
        self.elements = reader.elements
        for element in self.elements:
            element.text = " ".join("".join(element.children_text).split())

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        found = [e for e in self.elements if e.attrs.get("id") == element_id]
        assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
        return found[0]

    def control(self, name: str) -> Element:
        found = [e for e in self.elements if e.tag in CONTROLS and e.attrs.get("name") == name]
        assert len(found) == 1, f"expected one control named {name!r}, found {len(found)}"
        return found[0]

    def visible_controls(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in CONTROLS and e.attrs.get("type", "text") not in UNLABELLED_INPUT_TYPES
        ]

    def label_for(self, control: Element) -> Element:
        return self.find("label", for_=control.get("id"))

    def described_by(self, control: Element) -> list[Element]:
        return [self.by_id(i) for i in control.get("aria-describedby").split()]

    def options(self, select_name: str) -> list[Element]:
        select = self.control(select_name)
        start = self.elements.index(select)
        options = []
        for element in self.elements[start + 1 :]:
            if element.tag == "option":
                options.append(element)
            elif element.tag in CONTROLS or element.tag == "form":
                break
        return options


def assert_every_control_is_labelled(page: Page) -> None:
    controls = page.visible_controls()
    assert controls, "the page has no form controls"
    for control in controls:
        assert control.get("id"), f"control {control.get('name')!r} has no id"
        label = page.label_for(control)
        assert label.text, f"the label of {control.get('name')!r} is empty"
        if control.get("aria-describedby"):
            page.described_by(control)  # every id it points to exists, once


def assert_one_h1(page: Page) -> None:
    assert len(page.find_all("h1")) == 1
