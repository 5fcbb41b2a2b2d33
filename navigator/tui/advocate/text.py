"""Advocate mode's words, looked up by key like the resident app's (`navigator.tui.text`).

The words live in `knowledge/messages/advocate.yaml`. `AdvocateText` is an
`AppText`, so every shared widget takes it as it is, and it also answers
advocate mode's own keys.
"""

from __future__ import annotations

from enum import StrEnum

from navigator.engine.explain import EXPLAIN_MESSAGES
from navigator.engine.referral import MESSAGE_KEYS as REFERRAL_MESSAGES
from navigator.engine.wording import fill
from navigator.tui.text import AppText, Msg


class AdvocateMsg(StrEnum):
    """Every message key advocate mode's screens use.

    The summary's and the reasoning panel's are in the engine (`SUMMARY_MESSAGES`,
    `EXPLAIN_MESSAGES`), next to the code that words them.
    """

    TITLE = "advocate_title"
    SITE = "advocate_site"
    FIND_SERVICE = "advocate_find_service"
    RECORD_UNMET = "advocate_record_unmet"
    SUMMARY = "advocate_summary"
    NOTES = "advocate_notes"
    JUMP = "advocate_jump"
    NEW_SESSION = "advocate_new_session"
    NEW_SESSION_DONE = "advocate_new_session_done"
    PANEL_REASONING = "advocate_panel_reasoning"
    PANEL_NOTES = "advocate_panel_notes"
    FACTS_HEADING = "advocate_facts_heading"
    NO_FACTS = "advocate_no_facts"
    FACT_LINE = "advocate_fact_line"
    SERVICES_HEADING = "advocate_services_heading"
    NO_RESULT = "advocate_no_result"
    UNMET_END = "advocate_unmet_end"
    RECORDED_HEADING = "advocate_recorded_heading"
    RECORDED_ITEM = "advocate_recorded_item"
    NOTES_HINT = "advocate_notes_hint"
    PALETTE_TOPIC = "advocate_palette_topic"
    PALETTE_QUESTION = "advocate_palette_question"
    PALETTE_QUESTION_HELP = "advocate_palette_question_help"
    PALETTE_CHANGE = "advocate_palette_change"
    PALETTE_CHANGE_HELP = "advocate_palette_change_help"
    PALETTE_FIND_HELP = "advocate_palette_find_help"
    PALETTE_UNMET_HELP = "advocate_palette_unmet_help"
    PALETTE_SUMMARY_HELP = "advocate_palette_summary_help"
    PALETTE_NOTES_HELP = "advocate_palette_notes_help"
    PALETTE_NEW_SESSION_HELP = "advocate_palette_new_session_help"
    CHANGED = "advocate_changed"
    SEARCH_HEADING = "advocate_search_heading"
    SEARCH_PLACEHOLDER = "advocate_search_placeholder"
    SEARCH_NEED = "advocate_search_need"
    SEARCH_ANY_NEED = "advocate_search_any_need"
    SEARCH_AREA_PLACEHOLDER = "advocate_search_area_placeholder"
    SEARCH_AREA_INVALID = "advocate_search_area_invalid"
    SEARCH_COUNT = "advocate_search_count"
    SESSION_TIME = "advocate_session_time"
    CONFIRM_NEXT_RESIDENT = "advocate_confirm_next_resident"
    CONFIRM_QUIT_NOTES = "advocate_confirm_quit_notes"
    SEARCH_SHOWING = "advocate_search_showing"
    SEARCH_MORE = "advocate_search_more"
    SEARCH_ADDED = "advocate_search_added"
    SEARCH_ALREADY = "advocate_search_already"
    SEARCH_NONE = "advocate_search_none"
    SEARCH_PICK = "advocate_search_pick"
    UNMET_HEADING = "advocate_unmet_heading"
    UNMET_NEED = "advocate_unmet_need"
    UNMET_REASON = "advocate_unmet_reason"
    UNMET_NOTE = "advocate_unmet_note"
    UNMET_NOTE_PLACEHOLDER = "advocate_unmet_note_placeholder"
    UNMET_NOTE_HINT = "advocate_unmet_note_hint"
    UNMET_SAVE = "advocate_unmet_save"
    UNMET_SAVED = "advocate_unmet_saved"
    SUMMARY_HEADING = "advocate_summary_heading"
    SUMMARY_SAVE = "advocate_summary_save"
    SUMMARY_PRINT = "advocate_summary_print"
    SUMMARY_CODE = "advocate_summary_code"
    SUMMARY_PATH = "advocate_summary_path"
    SUMMARY_SAVED = "advocate_summary_saved"
    SUMMARY_SAVE_FAILED = "advocate_summary_save_failed"
    SUMMARY_EXISTS = "advocate_summary_exists"
    SUMMARY_NO_PATH = "advocate_summary_no_path"
    SUMMARY_PRINTING = "advocate_summary_printing"
    SUMMARY_PRINTED = "advocate_summary_printed"
    SUMMARY_PRINT_FAILED = "advocate_summary_print_failed"
    SUMMARY_CODE_HINT = "advocate_summary_code_hint"
    REFERRAL_HEADING = "advocate_referral_heading"
    PALETTE_REFER_HELP = "advocate_palette_refer_help"
    REFERRAL_SERVICE = "advocate_referral_service"
    REFERRAL_NONE = "advocate_referral_none"
    REFERRAL_NEED = "advocate_referral_need"
    REFERRAL_NAME = "advocate_referral_name"
    REFERRAL_CONTACT_WAY = "advocate_referral_contact_way"
    REFERRAL_CONTACT_DETAIL = "advocate_referral_contact_detail"
    REFERRAL_NOTE = "advocate_referral_note"
    REFERRAL_CONSENT = "advocate_referral_consent"
    REFERRAL_SEND = "advocate_referral_send"
    REFERRAL_MISSING = "advocate_referral_missing"
    REFERRAL_NO_CONSENT = "advocate_referral_no_consent"
    REFERRAL_SENDING = "advocate_referral_sending"
    REFERRAL_SENT = "advocate_referral_sent"
    REFERRAL_FAILED = "advocate_referral_failed"
    REFERRAL_RECORDED = "advocate_referral_recorded"
    SUMMARY_EMAIL_LABEL = "advocate_summary_email_label"
    SUMMARY_EMAIL_SEND = "advocate_summary_email_send"
    SUMMARY_EMAIL_SENDING = "advocate_summary_email_sending"
    SUMMARY_EMAIL_SENT = "advocate_summary_email_sent"
    SUMMARY_EMAIL_FAILED = "advocate_summary_email_failed"
    SUMMARY_EMAIL_INVALID = "advocate_summary_email_invalid"
    SUMMARY_EMAIL_SUBJECT = "advocate_summary_email_subject"


class AdvocateText(AppText, frozen=True):
    """The resident app's words and advocate mode's, from one knowledge base."""

    def __call__(self, key: Msg | AdvocateMsg, **values: object) -> str:
        if isinstance(key, Msg):
            return super().__call__(key, **values)
        return fill(self.knowledge.message(key.value, self.language), values, self.language)

    def missing(self) -> list[str]:
        """Keys either app uses that the knowledge base does not define."""
        keys = [*(key.value for key in AdvocateMsg), *EXPLAIN_MESSAGES, *REFERRAL_MESSAGES]
        own = [key for key in keys if key not in self.knowledge.messages]
        return [*super().missing(), *own]
