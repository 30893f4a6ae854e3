"""Every key binding of the reader, declared once.

The footer, the help screen, the command palette and the README keys table are all
generated from ``KEYS``, so a key can never be documented in one place and bound
differently in another.  Plain data here; Textual's ``Binding`` objects are built on
demand so that importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One binding: ``keys`` is Textual's comma-separated key list.

    ``scope`` names where the binding lives: ``app`` (everywhere), ``reader`` (the record
    screen), ``references`` (the references list), ``scroll`` (any pane), ``help`` (the
    help screen), ``references-filter`` (the references filter), ``chooser`` (the
    format and style chooser), ``prompt`` (the open-an-ID and go-to prompts).  ``show`` puts it
    in the footer; ``palette`` offers the action in the command palette.
    """

    id: str
    keys: str
    action: str
    description: str
    help: str
    scope: str
    show: bool = True
    palette: bool = True
    display: str | None = None

    @property
    def key_display(self) -> str:
        """How the keys are written for people: ``backspace b`` rather than ``backspace,b``."""
        return self.display or " ".join(k.strip() for k in self.keys.split(","))


KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "focus-abstract",
        "1",
        "focus_pane('abstract')",
        "Abstract",
        "Focus the Abstract pane",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-keywords",
        "2",
        "focus_pane('keywords')",
        "Keywords",
        "Focus the Keywords pane",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-references",
        "3",
        "focus_pane('references')",
        "References",
        "Focus the References pane",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-cited-by",
        "4",
        "focus_pane('cited-by')",
        "Cited by",
        "Focus the Cited by pane (papers citing this record; loaded on demand)",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-similar",
        "5",
        "focus_pane('similar')",
        "Similar",
        "Focus the Similar articles pane (loaded on demand)",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-details",
        "6",
        "focus_pane('details')",
        "Details",
        "Focus the Details pane (every author, affiliations, ORCIDs, grants, chemicals, comments)",
        "reader",
        show=False,
    ),
    KeySpec(
        "focus-fulltext",
        "7",
        "focus_pane('fulltext')",
        "Full text",
        "Focus the Full text pane (the open-access text from PMC, its citations linked to the references)",
        "reader",
        show=False,
    ),
    KeySpec(
        "open-notice",
        "enter",
        "open_notice",
        "Open notice",
        "Open the retraction, expression of concern or erratum shown above the record",
        "reader",
        show=False,
    ),
    KeySpec(
        "next-pane",
        "tab",
        "cycle_pane(1)",
        "Next pane",
        "Cycle to the next pane",
        "reader",
        show=False,
    ),
    KeySpec(
        "previous-pane",
        "shift+tab",
        "cycle_pane(-1)",
        "Previous pane",
        "Cycle to the previous pane",
        "reader",
        show=False,
    ),
    KeySpec(
        "cursor-down",
        "j,down",
        "cursor_down",
        "Down",
        "Move down / scroll down",
        "scroll",
        show=False,
        palette=False,
    ),
    KeySpec(
        "cursor-up",
        "k,up",
        "cursor_up",
        "Up",
        "Move up / scroll up",
        "scroll",
        show=False,
        palette=False,
    ),
    KeySpec(
        "go-top", "g,home", "go_top", "Top", "Go to the top", "scroll", show=False, palette=False
    ),
    KeySpec(
        "go-bottom",
        "G,end",
        "go_bottom",
        "Bottom",
        "Go to the bottom",
        "scroll",
        show=False,
        palette=False,
    ),
    KeySpec(
        "page-up",
        "pageup",
        "page_up",
        "Page up",
        "Scroll a page up",
        "scroll",
        show=False,
        palette=False,
        display="pgup",
    ),
    KeySpec(
        "page-down",
        "pagedown",
        "page_down",
        "Page down",
        "Scroll a page down",
        "scroll",
        show=False,
        palette=False,
        display="pgdn",
    ),
    KeySpec(
        "copy-doi",
        "y",
        "copy_doi",
        "Copy DOI",
        "Copy the DOI of what is focused: the record's, or the highlighted reference's or paper's (without a DOI its PMID, else the citation text); with references marked, their DOIs",
        "reader",
    ),
    KeySpec(
        "copy-all-dois",
        "Y",
        "copy_all_dois",
        "Copy all DOIs",
        "Copy all reference DOIs, one per line (only the marked ones when any are marked)",
        "reader",
        show=False,
    ),
    KeySpec(
        "copy-pmids",
        "I",
        "copy_all_pmids",
        "Copy PMIDs",
        "Copy all reference PMIDs, one per line (only the marked ones when any are marked)",
        "reader",
        show=False,
    ),
    KeySpec(
        "open-doi",
        "o",
        "open_doi",
        "Open DOI",
        "Open the focused DOI (https://doi.org/…) in the browser",
        "reader",
    ),
    KeySpec(
        "open-pubmed",
        "p",
        "open_pubmed",
        "PubMed",
        "Open the PubMed page of the record, or of the highlighted reference or paper",
        "reader",
        show=False,
    ),
    KeySpec(
        "open-reference",
        "enter",
        "open_reference",
        "Open",
        "On a reference or a cited-by / similar paper: open it in the reader (by PMID, else by DOI); b returns",
        "references",
    ),
    KeySpec(
        "mark",
        "space",
        "toggle_mark",
        "Mark",
        "Mark or unmark the highlighted reference; y, Y, I, c and e then act on the marked set",
        "references",
    ),
    KeySpec(
        "cite",
        "c",
        "cite",
        "Cite",
        "Copy a citation (choose format and style) of the record, the highlighted reference, or the marked references",
        "reader",
    ),
    KeySpec(
        "export",
        "e",
        "export",
        "Export",
        "Export the reference list (or the marked set) to a file in your download folder; escape cancels a long export",
        "reader",
        show=False,
    ),
    KeySpec(
        "prefetch",
        "P",
        "prefetch",
        "Prefetch",
        "Download every reference with a PMID into the cache for offline reading; P again cancels",
        "reader",
        show=False,
    ),
    KeySpec(
        "back",
        "backspace,b",
        "back",
        "Back",
        "Back to the previous record, or to the search results the record was opened from",
        "reader",
    ),
    KeySpec(
        "filter",
        "slash",
        "filter_references",
        "Filter",
        "Filter the references by text; escape clears",
        "reader",
        display="/",
    ),
    KeySpec(
        "refresh",
        "r",
        "refresh",
        "Refetch",
        "Refetch the record, bypassing the cache (also: retry after an error)",
        "reader",
        show=False,
    ),
    KeySpec(
        "clear-marks",
        "u",
        "clear_marks",
        "Unmark all",
        "Unmark every marked reference of the record",
        "reader",
        show=False,
    ),
    KeySpec(
        "go-to-reference",
        "colon",
        "go_to_reference",
        "Go to reference",
        "Go to reference number N: type : then the number, then enter",
        "reader",
        show=False,
        display=":",
    ),
    KeySpec(
        "open-id",
        "i",
        "open_id",
        "Open an ID",
        "Open another record: paste a PMID, DOI, PMC ID or a PubMed / doi.org link",
        "reader",
        show=False,
    ),
    KeySpec(
        "full-title",
        "t",
        "toggle_title",
        "Full title",
        "Show the whole title when a long one is cut to three lines (t again cuts it)",
        "reader",
        show=False,
    ),
    KeySpec(
        "dismiss",
        "escape",
        "put_away",
        "Dismiss",
        "Stop a running prefetch; put away the error of a record that did not open",
        "reader",
        show=False,
        palette=False,
    ),
    KeySpec(
        "clear-filter",
        "escape",
        "clear_filter",
        "Clear filter",
        "In the references filter or a filtered list: drop the filter, back to the whole list",
        "references-filter",
        show=False,
        palette=False,
    ),
    KeySpec(
        "search-open",
        "enter",
        "open_result",
        "Open",
        "Open the highlighted result in the reader; b or escape there comes back to the results",
        "search",
    ),
    KeySpec(
        "search-mark",
        "space",
        "toggle_mark",
        "Mark",
        "Mark or unmark the highlighted result; y, Y, c, e and P then act on the marked results",
        "search",
    ),
    KeySpec(
        "search-copy",
        "y",
        "copy_id",
        "Copy DOI",
        "Copy the DOI (else the PMID) of the highlighted result, or of every marked result, one a line",
        "search",
    ),
    KeySpec(
        "search-copy-all",
        "Y",
        "copy_all_ids",
        "Copy all",
        "Copy the DOIs (else PMIDs) of every result loaded so far (only the marked ones when any are marked)",
        "search",
        show=False,
    ),
    KeySpec(
        "search-export",
        "e",
        "export",
        "Export",
        "Export the marked results (or every result loaded so far) to a file in your download folder, in a citation format",
        "search",
        show=False,
    ),
    KeySpec(
        "search-cite",
        "c",
        "cite",
        "Cite",
        "Copy a citation (choose format and style) of the highlighted result, or of the marked results",
        "search",
        show=False,
    ),
    KeySpec(
        "search-prefetch",
        "P",
        "prefetch",
        "Prefetch",
        "Download the marked results (or every result loaded so far) into the cache for offline reading; P again or escape cancels",
        "search",
        show=False,
    ),
    KeySpec(
        "search-save",
        "a",
        "save_search",
        "Save search",
        "Add the search (its query with the filters) to the saved searches in the config file; the search screen lists them with how many results are new",
        "search",
        show=False,
    ),
    KeySpec(
        "search-review",
        "1",
        "toggle_filter('review')",
        "Reviews",
        "Filter: reviews only (review[pt]); press again to drop the filter and search again",
        "search",
        show=False,
    ),
    KeySpec(
        "search-systematic",
        "2",
        "toggle_filter('systematic-review')",
        "Systematic reviews",
        "Filter: systematic reviews only (systematic[sb])",
        "search",
        show=False,
    ),
    KeySpec(
        "search-meta-analysis",
        "3",
        "toggle_filter('meta-analysis')",
        "Meta-analyses",
        "Filter: meta-analyses only (meta-analysis[pt])",
        "search",
        show=False,
    ),
    KeySpec(
        "search-clinical-trial",
        "4",
        "toggle_filter('clinical-trial')",
        "Clinical trials",
        "Filter: clinical trials only (clinical trial[pt])",
        "search",
        show=False,
    ),
    KeySpec(
        "search-free-full-text",
        "5",
        "toggle_filter('free-full-text')",
        "Free full text",
        "Filter: free full text only (free full text[sb])",
        "search",
        show=False,
    ),
    KeySpec(
        "search-years",
        "d",
        "cycle_years",
        "Years",
        "Publication years, then search again: any → from last year → the last 5 → the last 10 years",
        "search",
        show=False,
    ),
    KeySpec(
        "search-sort",
        "S",
        "cycle_sort",
        "Sort",
        "Change the order and search again: best match, date, first author, journal",
        "search",
    ),
    KeySpec(
        "search-query",
        "slash",
        "edit_query",
        "Query",
        "Back to the query input to change the search",
        "search",
        show=False,
        display="/",
    ),
    KeySpec(
        "search-stop-prefetch",
        "escape",
        "stop_prefetch",
        "Stop",
        "While results are being prefetched: stop (P does too)",
        "search",
        show=False,
        palette=False,
    ),
    KeySpec(
        "search-leave",
        "escape,b",
        "leave",
        "Back",
        "Back to the reader (with nothing open yet, leave pubterm)",
        "search",
    ),
    KeySpec(
        "search-older",
        "up",
        "history_older",
        "Earlier query",
        "In the query input: the previous query (the last 50 are kept between sessions)",
        "search-input",
        show=False,
        palette=False,
    ),
    KeySpec(
        "search-newer",
        "down",
        "history_newer",
        "Later query",
        "In the query input: the next query; past the newest, down moves to the results",
        "search-input",
        show=False,
        palette=False,
    ),
    KeySpec(
        "search",
        "s",
        "open_search",
        "Search",
        "Search PubMed (a query, or a PMID, DOI or link to open); in the search screen, back to the query",
        "app",
        show=False,
    ),
    KeySpec(
        "back-to-results",
        "escape",
        "back_to_search",
        "Results",
        "On a record opened from the search results: back to them, the cursor where it was (b too)",
        "app",
        show=False,
        palette=False,
    ),
    KeySpec(
        "fulltext-next-cite",
        "right_square_bracket",
        "next_cite",
        "Next citation",
        "In the full text: move to the next in-text citation",
        "fulltext",
        palette=False,
        display="]",
    ),
    KeySpec(
        "fulltext-previous-cite",
        "left_square_bracket",
        "previous_cite",
        "Previous citation",
        "In the full text: move to the previous in-text citation",
        "fulltext",
        palette=False,
        display="[",
    ),
    KeySpec(
        "fulltext-show-cite",
        "enter",
        "show_cite",
        "Show reference",
        "In the full text: show the reference the citation under the cursor cites (beside the text, or below it when narrow)",
        "fulltext",
        palette=False,
    ),
    KeySpec(
        "fulltext-outline",
        "t",
        "outline",
        "Outline",
        "In the full text: list the sections and jump to one",
        "fulltext",
        palette=False,
    ),
    KeySpec(
        "fulltext-search",
        "slash",
        "search_text",
        "Search text",
        "In the full text: search the text (enter jumps to the next match; n and N move between matches)",
        "fulltext",
        palette=False,
        display="/",
    ),
    KeySpec(
        "fulltext-next-match",
        "n",
        "next_match(1)",
        "Next match",
        "In the full text: the next match of the search",
        "fulltext",
        show=False,
        palette=False,
    ),
    KeySpec(
        "fulltext-previous-match",
        "N",
        "next_match(-1)",
        "Previous match",
        "In the full text: the previous match of the search",
        "fulltext",
        show=False,
        palette=False,
    ),
    KeySpec(
        "fulltext-copy",
        "y",
        "copy_figure",
        "Copy",
        "In the full text: on a figure, table or supplement, copy its label, caption and link; elsewhere what y copies everywhere (the DOI)",
        "fulltext",
        palette=False,
    ),
    KeySpec(
        "fulltext-open",
        "o",
        "open_figure",
        "Open",
        "In the full text: on a figure, table or supplement, open its link in the browser; elsewhere the DOI, as o does everywhere",
        "fulltext",
        palette=False,
    ),
    KeySpec(
        "fulltext-leave-search",
        "escape",
        "leave_search",
        "Leave search",
        "In the full text's search field: back to the text without searching",
        "fulltext",
        show=False,
        palette=False,
    ),
    KeySpec(
        "fulltext-back",
        "backspace,b",
        "text_back",
        "Back in text",
        "In the full text after a jump (a citing sentence, a section, a match): back to the line you left",
        "fulltext",
        palette=False,
    ),
    KeySpec(
        "cited-contexts",
        "w",
        "contexts",
        "Where cited",
        "Beside the text, on a reference: list the sentences that cite it, each with its section; enter jumps there",
        "fulltext-cited",
        palette=False,
    ),
    KeySpec(
        "cited-open",
        "enter",
        "select",
        "Open / jump",
        "Beside the text: on a reference, open it in the reader (b returns); on a citing sentence, jump to it in the text",
        "fulltext-cited",
        palette=False,
    ),
    KeySpec(
        "cited-close",
        "escape",
        "close_cited",
        "Close",
        "Beside the text: close the reference and go back to the text",
        "fulltext-cited",
        palette=False,
    ),
    KeySpec(
        "references-contexts",
        "w",
        "where_cited",
        "Where cited",
        "On a reference, once the record's full text is known: list the sentences that cite it, each with its section; enter jumps there in the full text (b comes back)",
        "references",
        palette=False,
    ),
    KeySpec(
        "close-contexts",
        "escape,q",
        "close",
        "Close",
        "Close the list of citing sentences without jumping",
        "contexts",
        show=False,
        palette=False,
        display="escape q",
    ),
    KeySpec(
        "close-outline",
        "escape,t,q",
        "close",
        "Close outline",
        "Close the outline without jumping",
        "outline",
        show=False,
        palette=False,
        display="escape t q",
    ),
    KeySpec("help", "question_mark", "help", "Help", "Show every key", "app", display="?"),
    KeySpec(
        "palette",
        "ctrl+p",
        "command_palette",
        "Commands",
        "Open the command palette",
        "app",
        show=False,
        palette=False,
    ),
    KeySpec("quit", "q", "quit", "Quit", "Quit pubterm", "app"),
    KeySpec(
        "close-help",
        "escape,q,question_mark",
        "close_help",
        "Close help",
        "Close this help",
        "help",
        show=False,
        palette=False,
        display="escape q ?",
    ),
    KeySpec(
        "close-chooser",
        "escape,q",
        "close_chooser",
        "Cancel",
        "Close the format and style chooser without choosing (q only outside the style filter)",
        "chooser",
        show=False,
        palette=False,
    ),
    KeySpec(
        "close-prompt",
        "escape",
        "close_prompt",
        "Cancel",
        "Close the prompt without opening anything",
        "prompt",
        show=False,
        palette=False,
    ),
)


def specs(scope: str) -> list[KeySpec]:
    """The key specs of one scope, in declaration order."""
    return [spec for spec in KEYS if spec.scope == scope]


def spec(key_id: str) -> KeySpec:
    """The spec with this id (KeyError if there is none)."""
    for item in KEYS:
        if item.id == key_id:
            return item
    raise KeyError(key_id)


def bindings(scope: str) -> list[Binding]:
    """Textual bindings for one scope, each with its id, description and tooltip."""
    from textual.binding import Binding

    return [
        Binding(
            s.keys,
            s.action,
            s.description,
            show=s.show,
            key_display=s.display,
            tooltip=s.help,
            id=s.id,
        )
        for s in specs(scope)
    ]


def markdown_table() -> str:
    """The README keys table, one row per binding, with the id a ``[keys]`` entry uses."""
    rows = ["| key | id (for `[keys]`) | action |", "|---|---|---|"]
    for s in KEYS:
        keys = " ".join(f"`{k}`" for k in s.key_display.split())
        rows.append(f"| {keys} | `{s.id}` | {s.help} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m tui.keys: the README keys table
    print(markdown_table(), end="")
