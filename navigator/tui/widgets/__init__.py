"""Reusable pieces of the resident app, shared with advocate mode.

Each widget lives in its own module with its styles in a `.tcss` file beside
it (read into `DEFAULT_CSS`, so the styles travel with the widget). They take
data as attributes (engine views, plain strings, an `AppText` for words) and
report what the person did as messages, so any screen can host them:

- `transcript.Transcript`: the conversation; `say(speaker, text, label)`,
  `append(widget)`, `wipe()`; keeps the last `limit` entries.
- `choice_grid.ChoiceGrid`: cells to press in columns, drawn as one widget
  (arrows, Enter, space, click); the base of the two below.
- `quick_replies.QuickReplies`: numbered answers; `show(choices, focus=...)`,
  `choose_number(n)`; posts `QuickReplies.Chosen(choice)`, and keeps keys typed
  meanwhile until the host has shown what it led to (`settle()`, or new choices).
- `own_words.OwnWords`: the free-text box; set `suggestions`; posts `Typed`,
  `Said`, `SuggestionChosen`, `Empty`, and `OwnWordsInput.Shortened`.
- `service_card.ServiceCard`: one `ServiceView` as a card (`card_text` gives
  the same as Rich text).
- `results.ResultsBlock`: cards plus the take-away bar.
- `takeaway.TakeAway`: "Show a code for my phone" and "Print this"; posts
  `TakeAway.PrintFinished(result)`.
- `safeguarding.SafeguardingPanel`: crisis words and contacts; posts `CarryOn`.
- `nav_bar.NavBar`: the bar that never moves; `enable(name, flag)`; posts
  `NavBar.Command(name)`.
- `progress_line.ProgressLine`: set `words`.
- `plain_button.PlainButton`: the one high-contrast button style (`-big` for a
  framed, three-row button).
"""
