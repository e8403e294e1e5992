"""Widgets for drills: a thin view on :mod:`borderdesk.drills.model` (ipywidgets 8).

``show(chapter, drill_id)`` displays one drill; ``show_all(chapter)`` every drill of a
chapter with a progress line. ``drill_view``/``chapter_view`` return the view objects
without displaying them, so tests (or curious learners) can drive them::

    view = drill_view("01_platform_rules", "cancel-rate-buyer")
    view.controls.value = 0            # RadioButtons: values are option indices
    view.check_button.click()
    view.result.state, view.feedback.value

``view.controls`` per kind: choice -> RadioButtons (values = option index), or with
``multiple`` a list of Checkbox in display order (``.option_index`` names the option);
categorise -> dict {item text: Dropdown of groups}; order -> list of Dropdowns, one per
position (values = step index in the YAML); text -> Text; reply -> Textarea (below the
buyer's message card).

A drop-down starts on its placeholder ("— group —", "— choose a step —"), a real option
whose value is :data:`UNANSWERED`: ipywidgets 8 shows a Dropdown whose value is None as
an empty box, so None is never used. The view reads the placeholder as "not answered".
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from IPython.display import display

from .. import progress
from ..display import message_card
from .loader import get_drill, load_chapter
from .markup import to_html
from .model import CategoriseDrill, ChoiceDrill, Drill, OrderDrill, ReplyDrill, Result, State, TextDrill

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UNANSWERED = ""
"""The value of a drop-down's placeholder option: read as "not answered"."""
GROUP_PLACEHOLDER = "— group —"
STEP_PLACEHOLDER = "— choose a step —"
STYLES = {  # state: (label, border colour, background)
    State.NOT_ATTEMPTED: ("Not attempted", "#6b7280", "#f3f4f6"),
    State.WRONG: ("Not yet", "#c2410c", "#fff7ed"),
    State.RIGHT: ("Right", "#15803d", "#f0fdf4"),
}
FULL = W.Layout(width="100%")
# ipywidgets 8 gives radio labels a fixed height and checkbox labels "nowrap + ellipsis",
# which clips long options; this lets them wrap (scoped to our own class). A radio's
# <input> comes after its text and floats left, so a wrapped option put its first line
# above the button, and a checkbox's second line ran under the box: as flex rows with
# the input first, every line of an option sits beside its button.
# Widget HTML gets a 28 px line height, meant for one-line labels; prose needs less.
# A glossary term cited as [[term]] is an <abbr> whose tooltip is its definition: mark it as such.
CSS = """<style>
.borderdesk-choice label { height: auto !important; min-height: var(--jp-widgets-radio-item-height);
  line-height: 1.35 !important; white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; margin-bottom: 4px; }
.borderdesk-choice .widget-radio-box label, .borderdesk-choice label.widget-label-basic {
  display: flex; align-items: flex-start; }
.borderdesk-choice input[type='radio'] { order: -1; float: none !important; flex: 0 0 auto;
  height: 1.35em !important; margin-top: 0 !important; }
.borderdesk-prose, .borderdesk-prose .widget-html-content { line-height: 1.5 !important; }
.borderdesk-choice.widget-checkbox, .borderdesk-choice.jupyter-widget-checkbox { height: auto !important; }
.borderdesk-choice span { white-space: normal !important; overflow: visible !important; }
.borderdesk-choice input[type='checkbox'] { align-self: flex-start !important; flex-grow: 0 !important; }
.borderdesk-term { text-decoration: underline dotted; cursor: help; }
</style>"""


def _box(html_text: str, border: str, background: str, css_class: str) -> str:
    return (
        f'<div class="borderdesk-drill {css_class}" style="border-left:4px solid {border};'
        f'background:{background};padding:4px 12px;margin:4px 0;color:#111827">{html_text}</div>'
    )


def _dropdown(placeholder: str, options: list[tuple[str, Any]], **kwargs: Any) -> W.Dropdown:
    """A Dropdown showing ``placeholder`` until the learner chooses an option."""
    dropdown = W.Dropdown(options=[(placeholder, UNANSWERED), *options], value=UNANSWERED, **kwargs)

    def back_to_placeholder(change: dict) -> None:  # value None would show an empty box
        if change["new"] is None:
            dropdown.value = UNANSWERED

    dropdown.observe(back_to_placeholder, "value")
    return dropdown


def chosen(dropdown: W.Dropdown) -> Any:
    """The value the learner chose, or None while the placeholder shows."""
    return None if dropdown.value in (UNANSWERED, None) else dropdown.value


def feedback_html(result: Result) -> str:
    label, border, background = STYLES[result.state]
    body = to_html(result.message)
    return _box(
        f'<span class="sr-state" data-state="{result.state.value}" '
        f'style="font-size:0.8em;color:{border}">{label}</span>{body}',
        border,
        background,
        f"borderdesk-{result.state.value}",
    )


class DrillView:
    """Prompt, inputs, Check and Hint buttons, hint and feedback areas for one drill."""

    def __init__(self, drill: Drill):
        self.drill = drill
        self.result: Result | None = None
        self.listeners: list[Callable[[DrillView], None]] = []
        self.title = W.HTML(
            f'{CSS}<div class="borderdesk-drill-title" data-drill-id="{html.escape(drill.id)}">'
            '<span style="color:#6b7280;font-size:0.8em;text-transform:uppercase;letter-spacing:0.05em">Drill</span>'
            f'<br><strong style="font-size:1.1em">{html.escape(drill.title)}</strong></div>'
        )
        self.prompt = W.HTML(to_html(drill.prompt), layout=FULL)
        builder = {
            ChoiceDrill: self._choice,
            CategoriseDrill: self._categorise,
            OrderDrill: self._order,
            TextDrill: self._text,
            ReplyDrill: self._reply,
        }[type(drill)]
        self.controls: Any = None
        self.inputs: W.Widget = builder()
        self.check_button = W.Button(description="Check", button_style="primary", icon="check")
        self.hint_button = W.Button(description="Hint", icon="question")
        self.check_button.on_click(lambda _: self.check())
        self.hint_button.on_click(lambda _: self.hint())
        self.hint_area = W.HTML("")
        self.feedback = W.HTML("")
        for prose in (self.prompt, self.hint_area, self.feedback):
            prose.add_class("borderdesk-prose")
        self.widget = W.VBox(
            [
                self.title,
                self.prompt,
                self.inputs,
                W.HBox([self.check_button, self.hint_button]),
                self.hint_area,
                self.feedback,
            ],
            layout=W.Layout(border="1px solid #e5e7eb", padding="4px 12px", margin="8px 0", width="100%"),
        )

    # -- inputs per kind --------------------------------------------------------
    def _choice(self) -> W.Widget:
        drill: ChoiceDrill = self.drill  # type: ignore[assignment]
        order = drill.display_order()
        if not drill.multiple:
            self.controls = W.RadioButtons(
                options=[(drill.options[i].text, i) for i in order],
                value=None,
                layout=FULL,
            )
            self.controls.add_class("borderdesk-choice")
            self._answer = lambda: self.controls.value
            return self.controls
        boxes = []
        for i in order:
            box = W.Checkbox(
                value=False,
                description=drill.options[i].text,
                indent=False,
                layout=FULL,
                style={"description_width": "initial"},
            )
            box.option_index = i
            box.add_class("borderdesk-choice")
            boxes.append(box)
        self.controls = boxes
        self._answer = lambda: [b.option_index for b in boxes if b.value]
        return W.VBox([W.HTML("<em>Tick every option that applies.</em>"), *boxes])

    def _categorise(self) -> W.Widget:
        drill: CategoriseDrill = self.drill  # type: ignore[assignment]
        rows, self.controls = [], {}
        for i in drill.display_order():
            item = drill.items[i]
            dropdown = _dropdown(
                GROUP_PLACEHOLDER,
                [(g, g) for g in drill.groups],
                layout=W.Layout(width="220px", flex="0 0 auto"),
            )
            self.controls[item.text] = dropdown
            rows.append(W.HBox([dropdown, W.HTML(html.escape(item.text, quote=False))]))
        self._answer = lambda: {text: chosen(dd) for text, dd in self.controls.items()}
        return W.VBox(rows)

    def _order(self) -> W.Widget:
        drill: OrderDrill = self.drill  # type: ignore[assignment]
        shown = drill.display_order()
        listing = "".join(
            f"<li><strong>{LETTERS[k]}.</strong> {html.escape(drill.steps[i], quote=False)}</li>"
            for k, i in enumerate(shown)
        )
        choices = [(f"{LETTERS[k]}. {drill.steps[i]}", i) for k, i in enumerate(shown)]
        self.controls = [
            _dropdown(
                STEP_PLACEHOLDER, choices, description=f"{pos + 1}.", style={"description_width": "2em"}, layout=FULL
            )
            for pos in range(len(drill.steps))
        ]
        self._answer = lambda: [chosen(dd) for dd in self.controls]
        return W.VBox(
            [
                W.HTML(
                    f'<p><em>The steps, shuffled:</em></p><ul style="list-style:none">{listing}</ul>'
                    "<p><em>Put them in order, first step at position 1:</em></p>"
                ),
                *self.controls,
            ]
        )

    def _text(self) -> W.Widget:
        drill: TextDrill = self.drill  # type: ignore[assignment]
        self.controls = W.Text(value="", placeholder=drill.placeholder, layout=W.Layout(width="60%"))
        self._answer = lambda: self.controls.value
        return self.controls

    def _reply(self) -> W.Widget:
        drill: ReplyDrill = self.drill  # type: ignore[assignment]
        headers = {"From": drill.case.buyer_name, "Order": drill.case.order_id} if drill.case.buyer_name else {}
        card = W.HTML(message_card(drill.case.message, headers)._repr_html_(), layout=FULL)
        self.controls = W.Textarea(value="", placeholder=drill.placeholder, rows=10, layout=FULL)
        self._answer = lambda: self.controls.value
        return W.VBox([card, W.HTML("<em>Your reply:</em>"), self.controls], layout=FULL)

    # -- actions ----------------------------------------------------------------
    def answer(self) -> Any:
        """The current answer read from the widgets, in ``Drill.check`` format."""
        return self._answer()

    def check(self) -> Result:
        self.result = self.drill.check(self.answer())
        # Recording never raises; the first time the store is unusable it returns a note.
        note = progress.record_drill(self.drill, self.result)
        self.feedback.value = feedback_html(self.result) + (
            _box(html.escape(note), "#b45309", "#fffbeb", "borderdesk-progress-warning") if note else ""
        )
        for listener in self.listeners:
            listener(self)
        return self.result

    def hint(self) -> str:
        """Show the next hint below the earlier ones (the model keeps the count)."""
        text = self.drill.hint()
        n = len(self.drill.hints)
        parts = [f"**Hint {k + 1} of {n}:** {h}" for k, h in enumerate(self.drill.hints[: self.drill.hints_shown])]
        if not parts or parts[-1] != text:  # "no more hints" / "no hints"
            parts.append(text)
        self.hint_area.value = _box("".join(to_html(p) for p in parts), "#2563eb", "#eff6ff", "borderdesk-hint")
        return text

    def _ipython_display_(self) -> None:
        display(self.widget)


class ChapterView:
    """Every drill of a chapter, with a progress line ("3 of 13 drills right")."""

    def __init__(self, chapter: str, drills: list[Drill]):
        self.chapter = chapter
        self.views = [DrillView(d) for d in drills]
        self.progress = W.HTML("")
        for view in self.views:
            view.listeners.append(lambda _view: self._update())
        self._update()
        self.widget = W.VBox([self.progress, *(v.widget for v in self.views)], layout=FULL)

    def __getitem__(self, drill_id: str) -> DrillView:
        for view in self.views:
            if view.drill.id == drill_id:
                return view
        raise KeyError(drill_id)

    def _update(self) -> None:
        right = sum(1 for v in self.views if v.result is not None and v.result.right)
        self.progress.value = (
            f"<strong>Drills for {html.escape(self.chapter)}:</strong> {right} of {len(self.views)} right"
        )

    def _ipython_display_(self) -> None:
        display(self.widget)


def drill_view(chapter: str, drill_id: str) -> DrillView:
    """The view of one drill, not displayed (for tests and custom layouts)."""
    return DrillView(get_drill(chapter, drill_id))


def chapter_view(chapter: str) -> ChapterView:
    return ChapterView(chapter, load_chapter(chapter))


def show(chapter: str, drill_id: str) -> None:
    """Display one drill, e.g. ``show("01_platform_rules", "odr-defects")``."""
    display(drill_view(chapter, drill_id).widget)


def show_all(chapter: str) -> None:
    """Display every drill of ``chapter`` with a progress line."""
    display(chapter_view(chapter).widget)
