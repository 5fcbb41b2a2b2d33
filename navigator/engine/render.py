"""Building the view of a conversation's current state.

Pure functions of the state and the knowledge base: rendering twice gives
equal views, and rendering never changes the conversation. Every sentence
comes from the knowledge base; a message may have a variant for a channel
(`talk_to_person_kiosk` beside `talk_to_person_text`), used when present.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from msgspec.structs import replace

from navigator.engine import views as v
from navigator.engine.eligibility import ServiceAssessment, unmet_reason_for
from navigator.engine.state import Overlay, State
from navigator.kb.model import Info, Outcome, Question, Topic, UnmetEnd

if TYPE_CHECKING:
    from navigator.engine.conversation import Conversation

MESSAGE_PREFIX = "engine_"
"""The conversation's messages are `engine_...` in the knowledge base's `messages:`."""

FIT_ORDER = {"offered": 0, "waiting_list": 1, "closed": 2, "out_of_area": 3, "ineligible": 4}


class _Common(TypedDict):
    """Fields every view of a position shares."""

    can_go_back: bool
    node_id: str | None
    topic_id: str | None
    help: str
    progress: v.Progress | None


class _Renderer:
    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.knowledge = conversation.knowledge
        self.wording = conversation.wording
        self.state: State = conversation.state

    def message(self, key: str, **values: object) -> str:
        """A message, preferring this channel's variant of it where the knowledge base has one."""
        key = f"{MESSAGE_PREFIX}{key}"
        channel_key = f"{key}_{self.conversation.channel}"
        if self.wording.has_message(channel_key):
            return self.wording.message(channel_key, **values)
        return self.wording.message(key, **values)

    def action(self, number: int, key: str, hint: str = "") -> v.Choice:
        return v.Choice(number=number, key=key, label=self.message(f"choice_{key}"), hint=hint)

    def actions(self, keys: list[str], start: int = 1) -> tuple[v.Choice, ...]:
        return tuple(self.action(start + index, key) for index, key in enumerate(keys))

    def topic_choices(self, topics: list[Topic]) -> tuple[v.Choice, ...]:
        return tuple(
            v.Choice(
                number=index,
                key=topic.id,
                label=self.wording.text(topic.title),
                hint=self.wording.text(topic.summary),
            )
            for index, topic in enumerate(topics, start=1)
        )

    def common(self) -> _Common:
        state = self.state
        node = self.knowledge.nodes.get(state.node_id or "")
        return {
            "can_go_back": self.conversation.can_go_back,
            "node_id": state.node_id,
            "topic_id": state.topic_id,
            "help": self.wording.text(node.help) if node is not None else "",
            "progress": self.progress(),
        }

    def progress(self) -> v.Progress | None:
        topic = self.knowledge.topics.get(self.state.topic_id or "")
        if topic is None or self.state.place != "node":
            return None
        return v.Progress(topic.id, self.wording.text(topic.title), self.state.step + 1)

    # --- Whole views ------------------------------------------------------------------

    def render(self) -> v.View:
        state = self.state
        if state.place == "finished":
            return v.FinishedView(
                title=self.message("finished_title"),
                text=self.message("finished_text"),
                reached_outcome=self.conversation.reached_outcome,
                own_words=False,
                node_id=state.node_id,
                topic_id=state.topic_id,
            )
        if state.overlay is not None:
            return self.overlay(state.overlay)
        if state.place == "welcome":  # reads no question: a cached start has not decoded them
            return self.welcome()
        node = self.knowledge.nodes.get(state.node_id or "")
        if node is None:
            return self.welcome()
        view = self.node(node)
        return replace(view, note=self.understood()) if state.understood else view

    def understood(self) -> str:
        """One line saying which answers were taken from the first message, and how to fix one."""
        chosen = {answer.node_id: answer.option_key for answer in self.state.answers}
        labels = []
        for node_id in self.state.understood:
            node = self.knowledge.nodes.get(node_id)
            if isinstance(node, Question):
                option = next((o for o in node.options if o.key == chosen.get(node_id)), None)
                if option is not None:
                    labels.append(f"\u201c{self.wording.text(option.label)}\u201d")
        return self.message("understood", answers=self.wording.join(labels))

    def node(self, node: Question | Info | Outcome | UnmetEnd) -> v.View:
        if isinstance(node, Question):
            return self.question(node)
        if isinstance(node, Info):
            return v.InfoView(
                text=self.wording.text(node.text),
                choices=self.actions(["carry_on"]),
                prompt=self.message("info_prompt"),
                **self.common(),
            )
        if isinstance(node, Outcome):
            return self.outcome(node)
        return self.unmet(node)

    def welcome(self) -> v.View:
        return v.WelcomeView(
            title=self.message("welcome_title"),
            text=self.message("welcome_text"),
            choices=self.topic_choices(list(self.knowledge.topics.values())),
            prompt=self.message("welcome_prompt"),
            can_go_back=self.conversation.can_go_back,
            languages=self.language_choices(),
        )

    def language_choices(self) -> tuple[v.LanguageChoice, ...]:
        """The active offer of languages: each named in itself, the one in use marked."""
        offered = self.conversation.offered_languages
        if len(offered) < 2:
            return ()
        current = self.conversation.language
        return tuple(
            v.LanguageChoice(code, self._own_name(code), current=code == current)
            for code in offered
        )

    def _own_name(self, code: str) -> str:
        """A language named in itself; English's own name is the message `engine_language_en`."""
        language = self.knowledge.languages.get(code)
        if language is not None:
            return language.own_name
        key = f"{MESSAGE_PREFIX}language_{code}"
        english = self.knowledge.messages.get(key)
        return english.get(code) if english is not None else code

    def question(self, node: Question) -> v.View:
        choices = tuple(
            v.Choice(
                number=index,
                key=option.key,
                label=self.wording.text(option.label),
                hint=self.wording.text(option.hint),
            )
            for index, option in enumerate(node.options, start=1)
        )
        prompt = "question_prompt" if node.own_words else "question_prompt_options_only"
        return v.QuestionView(
            text=self.wording.text(node.text),
            choices=choices,
            prompt=self.message(prompt),
            own_words=node.own_words,
            **self.common(),
        )

    def outcome(self, node: Outcome) -> v.View:
        assessments = self.conversation.assess_services(node.services)
        fitting = [item for item in assessments if item.shown_as_fitting]
        ruled_out = [item for item in assessments if not item.shown_as_fitting]
        reason = unmet_reason_for(assessments)
        feedback = self.state.feedback
        if feedback is None and fitting:
            choices = self.actions(["helped", "not_helped"])
            prompt = self.message("feedback_question")
            feedback_text = ""
        else:
            choices = self.actions(["start_again", "talk_to_person", "finish"])
            prompt = self.message("after_outcome_prompt")
            feedback_text = {None: "", True: "feedback_thanks", False: "feedback_sorry"}[feedback]
            feedback_text = self.message(feedback_text) if feedback_text else ""
        topic = self.knowledge.topics.get(self.state.topic_id or "")
        return v.OutcomeView(
            title=self.message("outcome_title"),
            text=self.wording.text(node.text),
            need_id=node.need or (topic.need if topic else ""),
            services=tuple(self.service(item) for item in _ordered(fitting)),
            ruled_out=tuple(self.service(item) for item in _ordered(ruled_out)),
            unmet_reason=reason,
            unmet_text=self.unmet_words(reason) if reason else "",
            feedback=feedback,
            feedback_text=feedback_text,
            choices=choices,
            prompt=prompt,
            own_words=False,
            **self.common(),
        )

    def unmet(self, node: UnmetEnd) -> v.View:
        others = self.conversation.assess_services(node.services)
        fitting = [item for item in others if item.shown_as_fitting]
        return v.UnmetView(
            title=self.message("unmet_title"),
            text=self.wording.text(node.text),
            need_id=node.need,
            reason_id=node.reason,
            kind_words=self.unmet_words(node.reason),
            services=tuple(self.service(item) for item in _ordered(fitting)),
            choices=self.actions(["start_again", "talk_to_person", "finish"]),
            prompt=self.message("after_outcome_prompt"),
            own_words=False,
            **self.common(),
        )

    def unmet_words(self, reason: str) -> str:
        """Kind words for an unmet need: the reason's own message, else the general one."""
        key = f"unmet_{reason}"
        known = self.wording.has_message(MESSAGE_PREFIX + key)
        return self.message(key if known else "unmet_kind_words")

    def overlay(self, overlay: Overlay) -> v.View:
        common = self.common()
        common["progress"] = None
        if overlay.kind == "safeguarding":
            return self.safeguarding(overlay, common)
        if overlay.kind == "check_in":
            return self.check_in(overlay, common)
        if overlay.kind == "choose_topic":
            topics = [self.knowledge.topics[t] for t in overlay.candidates]
            choices = self.topic_choices(topics)
            words = "two_needs" if overlay.two_needs else "choose_topic"
            return v.ChooseTopicView(
                title=self.message(f"{words}_title"),
                text=self.message(f"{words}_text"),
                said=overlay.said,
                two_needs=overlay.two_needs,
                choices=(*choices, self.action(len(choices) + 1, "none_of_these")),
                prompt=self.message("choose_topic_prompt"),
                **common,
            )
        if overlay.kind == "reask":
            return self.reask(overlay)
        if overlay.kind == "no_match":
            can_return = self.state.place == "node"
            choices = self.topic_choices(list(self.knowledge.topics.values()))
            if can_return:
                choices = (*choices, self.action(len(choices) + 1, "carry_on"))
            key = "not_understood_text" if overlay.understood_topic else "no_match_text"
            return v.NoMatchView(
                title=self.message("no_match_title"),
                text=self.message(key),
                said=overlay.said,
                can_return=can_return,
                choices=choices,
                prompt=self.message("no_match_prompt"),
                **common,
            )
        if overlay.kind == "other_language":
            return self.other_language(overlay, common)
        if overlay.kind == "help":
            return v.HelpView(
                title=self.message("help_title"),
                text=self.message("help_text"),
                choices=self.actions(["carry_on"]),
                prompt=self.message("overlay_prompt"),
                **common,
            )
        return v.TalkToPersonView(
            title=self.message("talk_to_person_title"),
            text=self.message("talk_to_person_text"),
            choices=self.actions(["carry_on", "finish"]),
            prompt=self.message("overlay_prompt"),
            **common,
        )

    def other_language(self, overlay: Overlay, common: _Common) -> v.View:
        """Kind words in the person's language, then the same in English, then the topics."""
        language = self.knowledge.languages[overlay.language]
        can_return = self.state.place == "node"
        choices = self.topic_choices(list(self.knowledge.topics.values()))
        if can_return:
            choices = (*choices, self.action(len(choices) + 1, "carry_on"))
        english_key = f"{MESSAGE_PREFIX}other_language_english"
        english = self.wording.message(english_key) if self.wording.has_message(english_key) else ""
        return v.NoMatchView(
            title=language.title,
            text="\n\n".join(part for part in (language.text, english) if part),
            said=overlay.said,
            can_return=can_return,
            choices=choices,
            prompt=language.prompt,
            language=language.id,
            **common,
        )

    def reask(self, overlay: Overlay) -> v.View:
        """The question again after words that were not an answer: "Carry on" first."""
        node = self.knowledge.nodes.get(self.state.node_id or "")
        options = node.options if isinstance(node, Question) else ()
        choices = [self.action(1, "carry_on")]
        for option in options:
            choices.append(
                v.Choice(
                    number=len(choices) + 1,
                    key=option.key,
                    label=self.wording.text(option.label),
                    hint=self.wording.text(option.hint),
                )
            )
        topics = [
            self.knowledge.topics[t] for t in overlay.candidates if t in self.knowledge.topics
        ]
        for topic in self.topic_choices(topics):
            choices.append(replace(topic, number=len(choices) + 1))
        return v.ReaskView(
            title=self.message("reask_title"),
            text=self.wording.text(node.text) if node is not None else "",
            said=overlay.said,
            choices=tuple(choices),
            prompt=self.message("reask_prompt"),
            **self.common(),
        )

    def safeguarding(self, overlay: Overlay, common: _Common) -> v.View:
        safeguarding = self.knowledge.safeguarding
        kind = None
        if safeguarding is not None:
            kind = next((k for k in safeguarding.kinds if k.id == overlay.crisis_kind), None)
        contacts: tuple[v.CrisisContactView, ...] = ()
        if safeguarding is not None and kind is not None:
            by_id = {contact.id: contact for contact in safeguarding.contacts}
            contacts = tuple(
                v.CrisisContactView(
                    contact_id=contact.id,
                    name=self.wording.text(contact.name),
                    how=self.wording.text(contact.how),
                    phone=contact.phone or "",
                    text_number=contact.text_number or "",
                    website=contact.website or "",
                )
                for contact in (by_id[c] for c in kind.contacts if c in by_id)
            )
        text = self.wording.text(kind.message) if kind else self.message("safeguarding_text")
        language = self.knowledge.languages.get(overlay.language) if overlay.language else None
        in_language = language.crisis if language is not None else ""
        return v.SafeguardingView(
            title=self.wording.text(kind.title) if kind else self.message("safeguarding_title"),
            text="\n\n".join(part for part in (in_language, text) if part),
            crisis_kind=overlay.crisis_kind,
            language=language.id if in_language and language is not None else "",
            contacts=contacts,
            choices=self.actions(["carry_on"]),
            prompt=self.message("safeguarding_prompt"),
            **common,
        )

    def check_in(self, overlay: Overlay, common: _Common) -> v.View:
        """The calm question, in the knowledge base's words (the kind's own, else the general)."""
        safeguarding = self.knowledge.safeguarding
        assert safeguarding is not None and safeguarding.check_in is not None
        kind = next((k for k in safeguarding.kinds if k.id == overlay.crisis_kind), None)
        question = kind.check_in if kind is not None and kind.check_in else None
        wording = safeguarding.check_in
        return v.CheckInView(
            text=self.wording.text(question or wording.question),
            crisis_kind=overlay.crisis_kind,
            choices=(
                v.Choice(1, v.CHECK_IN_YES, self.wording.text(wording.yes)),
                v.Choice(2, v.CHECK_IN_NO, self.wording.text(wording.no)),
            ),
            prompt=self.message("overlay_prompt"),
            **common,
        )

    # --- Services ---------------------------------------------------------------------

    def why(self, item: ServiceAssessment) -> str:
        """One sentence: why this service was offered or not, to the person it is about.

        The reasons are the engine's own (the rules and facts the advocate's
        panel shows); a service with no conditions says so. About someone else
        ("your mum"), the `_them` messages name them and the reasons say "they".
        """
        person = self.conversation.person_helped
        them = "_them" if person else ""
        reasons = self.wording.join(item.reasons)
        if item.not_asked:
            fact = self.wording.fact_title(item.failed_fact or "")
            return self.message("service_not_asked", fact=fact)
        if not item.shown_as_fitting:
            return self.message(f"service_ruled_out_because{them}", reasons=reasons, person=person)
        if reasons:
            return self.message(f"service_fits_because{them}", reasons=reasons, person=person)
        topic = self.knowledge.topics.get(self.state.topic_id or "")
        title = self.wording.text(topic.title) if topic is not None else ""
        key = "service_open_to_all" if title else "service_no_conditions"
        return self.message(f"{key}{them}", person=person, topic=title)

    def service(self, item: ServiceAssessment) -> v.ServiceView:
        service = item.service
        wording = self.wording
        reason = self.why(item)
        status_note = ""
        weeks = service.wait_time.weeks if service.wait_time is not None else None
        if item.fit == "waiting_list":
            status_note = self.message("service_waiting_list", weeks=weeks if weeks else "")
        elif item.fit == "closed":
            status_note = self.message("service_closed")
        contact = service.contact
        return v.ServiceView(
            service_id=service.id,
            name=wording.text(service.name),
            description=wording.text(service.description),
            provider=wording.text(service.provider),
            kind=service.kind,
            fit=item.fit,
            reason=reason,
            reasons=item.reasons,
            contact=v.ContactView(
                phones=tuple(
                    (phone.number, wording.text(phone.description)) for phone in contact.phones
                ),
                email=contact.email or "",
                website=contact.website or "",
                address=wording.text(contact.address),
                how_to_start=wording.text(contact.how_to_start),
            ),
            status_note=status_note,
            wait_weeks=weeks,
            cost=wording.text(service.cost_options),
            schedules=wording.text(service.schedules),
            eligibility_description=wording.text(service.eligibility_description),
            failed_fact=item.failed_fact,
            failed_fact_title=wording.fact_title(item.failed_fact) if item.failed_fact else "",
            not_asked=item.not_asked,
        )


def _ordered(items: list[ServiceAssessment]) -> list[ServiceAssessment]:
    return sorted(items, key=lambda item: FIT_ORDER[item.fit])


def render(conversation: Conversation) -> v.View:
    """The view of `conversation` now."""
    return _Renderer(conversation).render()


def service_view(conversation: Conversation, assessment: ServiceAssessment) -> v.ServiceView:
    """One assessed service worded as an outcome shows it, for screens that show one on its own."""
    return _Renderer(conversation).service(assessment)
