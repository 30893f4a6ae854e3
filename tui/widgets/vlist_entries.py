"""The entries behind a virtual list: ids, how to build one, and the few built so far.

A virtual list asks for an entry only when it is about to measure or show it, so a pane
hands over a builder rather than built entries: 20,000 references then cost 20,000 ids,
not 20,000 laid-out prompts.  Built entries and their rendered lines are kept for the
most recently used entries only, so scrolling through a whole list does not end up
holding all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

from textual.cache import LRUCache
from textual.content import Content
from textual.style import Style
from textual.visual import Padding, Visual, VisualType, visualize
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.strip import Strip
    from textual.widget import Widget

EntryBuilder = Callable[[int, bool], VisualType]
"""``build(position, marked)``: the entry at ``position``, drawn marked or not."""

ENTRY = "option-list--option"
"""The component class of an entry: its padding and its style (OptionList's name)."""

DISABLED = "option-list--option-disabled"
"""The component class of the placeholder (OptionList's disabled options)."""

KEEP = 1024
"""Built entries kept; more than a tall screen's worth times a page margin."""

LOOKS = 4
"""Looks an entry's lines are kept in: plain and under the cursor, focused or not."""


class Numbers(Sequence[str]):
    """The ids "0", "1", … "size - 1", made as asked: a list of 20,000 references
    numbered by position need not hold 20,000 strings (nor a dict to find one)."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [str(i) for i in range(self.size)[index]]
        return str(range(self.size)[index])  # IndexError beyond the end, as a list

    def index_of(self, item_id: str) -> int | None:
        """The position of ``item_id`` (None unless it is one of the numbers)."""
        if not (item_id.isascii() and item_id.isdigit()) or item_id != str(int(item_id)):
            return None
        position = int(item_id)
        return position if position < self.size else None


class _Built:
    """One built entry and its rendered lines, by look (style, width, …)."""

    __slots__ = ("strips", "visual")

    def __init__(self, visual: Visual) -> None:
        self.visual = visual
        self.strips: dict[Hashable, list[Strip]] = {}


class Entries:
    """What a virtual list shows: ``ids[i]`` names entry ``i``; ``build`` draws it."""

    def __init__(
        self,
        ids: Sequence[str | None],
        build: EntryBuilder,
        marks: frozenset[str] = frozenset(),
        options: Sequence[Option] | None = None,
    ) -> None:
        self.ids = ids
        self.build = build
        self.marks = marks
        self.options = options
        """The Options given, when the list was filled from Options."""
        self._built: LRUCache[int, _Built] = LRUCache(KEEP)
        self._index: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, item_id: str | None) -> int | None:
        """The position of the entry with this id (an index built on first use)."""
        if item_id is None:
            return None
        if isinstance(self.ids, Numbers):
            return self.ids.index_of(item_id)
        if self._index is None:
            self._index = {key: i for i, key in enumerate(self.ids) if key is not None}
        return self._index.get(item_id)

    def is_marked(self, index: int) -> bool:
        """Whether entry ``index`` is marked (its id is in ``marks``)."""
        item_id = self.ids[index]
        return item_id is not None and item_id in self.marks

    def visual(self, widget: Widget, index: int) -> Visual:
        """Entry ``index``, built now if it is not kept; never read as markup."""
        built = self._built.get(index)
        if built is None:
            prompt = self.build(index, self.is_marked(index))
            built = _Built(visualize(widget, prompt, markup=False))
            self._built[index] = built
        return built.visual

    def put(self, widget: Widget, index: int, prompt: VisualType) -> None:
        """Use ``prompt`` as entry ``index`` from now on (an entry replaced in place)."""
        if self.options is not None:
            self.options[index]._set_prompt(prompt)
        self._built.discard(index)  # setting a kept key leaves the old value
        self._built[index] = _Built(visualize(widget, prompt, markup=False))

    def forget(self, index: int) -> None:
        """Drop what was built for ``index``: it is built again when next needed."""
        self._built.discard(index)

    def strips(
        self,
        widget: Widget,
        index: int,
        key: Hashable,
        render: Callable[[Visual], list[Strip]],
    ) -> list[Strip]:
        """The rendered lines of ``index`` for one look (style, width, …), rendered
        once; the last few looks are kept (blurred and focused, two widths)."""
        visual = self.visual(widget, index)
        built = self._built.get(index)
        assert built is not None
        lines = built.strips.get(key)
        if lines is None:
            kept = built.strips
            while len(kept) >= LOOKS:
                del kept[next(iter(kept))]
            lines = kept[key] = render(visual)
        return lines

    def option(self, widget: Widget, index: int) -> Option:
        """Entry ``index`` as an Option (the one given, if the list was filled from them)."""
        if self.options is not None:
            return self.options[index]
        prompt = self.visual(widget, index)
        return Option(prompt, id=self.ids[index])


class OptionView(Sequence[Option]):
    """The entries as Options, built on access: ``OptionList.options`` for a lazy list."""

    def __init__(self, widget: Widget, entries: Entries) -> None:
        self._widget = widget
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Option: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Option]: ...
    def __getitem__(self, index: int | slice) -> Option | Sequence[Option]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._entries.option(self._widget, index)

    def __iter__(self) -> Iterator[Option]:
        return (self[i] for i in range(len(self)))


def draw(
    widget: Widget, visual: Visual, style: Style, width: int, index: int | None
) -> list[Strip]:
    """The lines of one entry, padded as entries are and full width, tagged with
    ``index`` for the mouse (the placeholder has none)."""
    padding = widget.get_component_styles(ENTRY).padding
    if padding:
        visual = Padding(visual, padding)
    strips = Visual.to_strips(widget, visual, width, None, style)
    meta = {} if index is None else {"option": index}
    return [s.extend_cell_length(width, style.rich_style).apply_meta(meta) for s in strips]


class Placeholder:
    """What an empty list says, rendered once per text, style and width."""

    def __init__(self) -> None:
        self._kept: tuple[tuple[str, Style, int], list[Strip]] | None = None

    def strips(self, widget: Widget, text: str, width: int) -> list[Strip]:
        """The lines of ``text`` (plain, never markup) as the list shows them."""
        if not text or width < 1:
            return []
        style = widget.get_visual_style(ENTRY, DISABLED)
        key = (text, style, width)
        if self._kept is None or self._kept[0] != key:
            self._kept = (key, draw(widget, Content(text), style, width, None))
        return self._kept[1]

    def forget(self) -> None:
        self._kept = None


def from_options(options: Sequence[Option], marks: frozenset[str] = frozenset()) -> Entries:
    """Entries that show these Options' prompts (marks are up to the prompts here)."""
    return Entries([o.id for o in options], lambda i, _marked: options[i].prompt, marks, options)
