"""The words on screen, looked up by key from the knowledge base's `messages:`.

Python never holds a sentence a resident reads: it names a key, and council
content staff own the words in `knowledge/messages/app.yaml`. `Msg` lists every
key the app uses, so mypy catches a misspelt key and a test checks that the
knowledge base defines each one.
"""

from __future__ import annotations

import string
from enum import StrEnum

import msgspec

from navigator.engine.wording import choose_plurals
from navigator.kb import KnowledgeBase


class Msg(StrEnum):
    """Every message key the resident app uses."""

    TITLE = "app_title"
    YOU = "app_you"
    NAVIGATOR = "app_navigator"
    BACK = "app_back"
    START_AGAIN = "app_start_again"
    HELP = "app_help"
    COLOURS = "app_colours"
    FINISH = "app_finish"
    CHANGE_ANSWER = "app_change_answer"
    CHANGE_ANSWER_HEADING = "app_change_answer_heading"
    PROGRESS_WELCOME = "app_progress_welcome"
    PROGRESS_STEP = "app_progress_step"
    PROGRESS_OUTCOME = "app_progress_outcome"
    KEYS_HINT = "app_keys_hint"
    TWO_DIGITS_HINT = "app_two_digits_hint"
    OWN_WORDS_LABEL = "app_own_words_label"
    OWN_WORDS_PLACEHOLDER = "app_own_words_placeholder"
    SEND = "app_send"
    SUGGESTIONS = "app_suggestions"
    TEXT_SHORTENED = "app_text_shortened"
    NOTHING_TYPED = "app_nothing_typed"
    CARD_OFFERS = "app_card_offers"
    CARD_WHY = "app_card_why"
    CARD_WHY_EVERYONE = "app_card_why_everyone"
    CARD_CONTACT = "app_card_contact"
    CARD_PHONE = "app_card_phone"
    CARD_PHONE_FOR = "app_card_phone_for"
    CARD_EMAIL = "app_card_email"
    CARD_WEBSITE = "app_card_website"
    CARD_ADDRESS = "app_card_address"
    CARD_HOW_TO_START = "app_card_how_to_start"
    CARD_HOURS = "app_card_hours"
    CARD_OPEN = "app_card_open"
    CARD_OPEN_NOW = "app_card_open_now"
    CARD_OPENS_TODAY = "app_card_opens_today"
    CARD_OPENS_TOMORROW = "app_card_opens_tomorrow"
    CARD_OPENS_ON = "app_card_opens_on"
    CARD_WAITING = "app_card_waiting"
    CARD_WAITING_NO_TIME = "app_card_waiting_no_time"
    CARD_CLOSED = "app_card_closed"
    CARD_COST = "app_card_cost"
    TAKEAWAY_HEADING = "app_takeaway_heading"
    SHOW_CODE = "app_show_code"
    CODE_HINT = "app_code_hint"
    CLOSE = "app_close"
    PRINT = "app_print"
    PRINTING = "app_printing"
    PRINTED = "app_printed"
    PRINT_FAILED = "app_print_failed"
    PRINT_HEADING = "app_print_heading"
    PRINT_HOURS = "app_print_hours"
    PRINT_COST = "app_print_cost"
    CHOOSE_CODE = "app_choose_code"
    PRINT_FOOTER = "app_print_footer"
    SAFEGUARDING_HEADING = "app_safeguarding_heading"
    SAFEGUARDING_CALL = "app_safeguarding_call"
    SAFEGUARDING_TEXT = "app_safeguarding_text"
    SAFEGUARDING_WEBSITE = "app_safeguarding_website"
    SAFEGUARDING_CARRY_ON = "app_safeguarding_carry_on"
    SAFEGUARDING_CARRY_ON_HINT = "app_safeguarding_carry_on_hint"
    SAFEGUARDING_STAFF = "app_safeguarding_staff"
    SAFEGUARDING_PRINT = "app_safeguarding_print"
    SAFEGUARDING_CODE = "app_safeguarding_code"
    SAFEGUARDING_PRINT_HEADING = "app_safeguarding_print_heading"
    SAFEGUARDING_WORDS_HIDDEN = "app_safeguarding_words_hidden"
    SAFEGUARDING_STILL_HERE = "app_safeguarding_still_here"
    HELP_NOW = "app_help_now"
    NO_MATCH_GENERAL = "app_no_match_general"
    TALK_TO_PERSON = "app_talk_to_person"
    QUIT = "app_quit"
    CONFIRM_YES = "app_confirm_yes"
    CONFIRM_NO = "app_confirm_no"
    CONFIRM_START_AGAIN = "app_confirm_start_again"
    CONFIRM_FINISH = "app_confirm_finish"
    CONFIRM_QUIT_ADVOCATE = "app_confirm_quit_advocate"
    QUICK_EXIT = "app_quick_exit"
    NEUTRAL_PAGE = "app_neutral_page"
    CONSENT_HEADING = "app_consent_heading"
    CONSENT_DISTRICT = "app_consent_district"
    CONSENT_AGE_BAND = "app_consent_age_band"
    CONSENT_AGE_BAND_SOMEONE_ELSE = "app_consent_age_band_someone_else"
    CONSENT_YES = "app_consent_yes"
    CONSENT_NO = "app_consent_no"
    CONSENT_THANKS = "app_consent_thanks"
    IDLE_HEADING = "app_idle_heading"
    IDLE_COUNTDOWN = "app_idle_countdown"
    IDLE_MORE_TIME = "app_idle_more_time"
    IDLE_KEY_HINT = "app_idle_key_hint"
    WIPED = "app_wiped"
    FINISHED = "app_finished"
    HELP_KEYS = "app_help_keys"
    TOO_SMALL = "app_too_small"
    SORRY = "app_sorry"
    STORE_PROBLEM = "app_store_problem"
    STAFF_HEADING = "app_staff_heading"
    STAFF_PIN = "app_staff_pin"
    STAFF_WRONG_PIN = "app_staff_wrong_pin"
    STAFF_CANCEL = "app_staff_cancel"
    STAFF_WAIT = "app_staff_wait"
    STAFF_LOCKED = "app_staff_locked"


class _Lenient(dict[str, object]):
    """Format values that leave an unknown placeholder visible rather than crash."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class AppText(msgspec.Struct, frozen=True):
    """Looks up the app's words in one language, with placeholders filled in.

    A key the knowledge base does not define shows as the key itself, so a
    missing message is visible in testing but never stops a resident.
    """

    knowledge: KnowledgeBase
    language: str = "en"

    def __call__(self, key: Msg, **values: object) -> str:
        template = self.knowledge.message(key.value, self.language)
        if not values:
            return template
        template = choose_plurals(template, values, self.language)
        try:
            return string.Formatter().vformat(template, (), _Lenient(values))
        except (ValueError, IndexError):  # a stray brace in the words: show them as written
            return template

    def missing(self) -> list[str]:
        """Keys the app uses that the knowledge base does not define."""
        return [key.value for key in Msg if key.value not in self.knowledge.messages]
