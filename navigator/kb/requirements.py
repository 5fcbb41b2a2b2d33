"""What the rest of Navigator relies on a knowledge base to declare.

The engine ends conversations with these unmet-need reasons and the front ends
show these messages, so a knowledge base without them would fail part-way
through a real conversation. The validator checks them; other layers add the
keys they use here, next to the code that relies on them being present.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUIRED_REASONS: tuple[str, ...] = (
    "no_service",
    "ineligible",
    "waiting_list",
    "out_of_area",
    "cannot_access",
    "not_helpful",
    "unmatched",
)
"""Unmet-need reasons the engine records by itself, so every knowledge base must declare them."""

OTHER_LANGUAGE_REASON = "other_language"
"""Recorded when someone writes in a language the content is not in. Required only of a
knowledge base that declares such a language under `languages:` (`checks_refs`)."""

ENGINE_MESSAGES: tuple[str, ...] = (
    "engine_welcome_title",
    "engine_welcome_text",
    "engine_welcome_prompt",
    "engine_question_prompt",
    "engine_question_prompt_options_only",
    "engine_info_prompt",
    "engine_overlay_prompt",
    "engine_choice_carry_on",
    "engine_choice_helped",
    "engine_choice_not_helped",
    "engine_choice_start_again",
    "engine_choice_talk_to_person",
    "engine_choice_finish",
    "engine_choice_none_of_these",
    "engine_outcome_title",
    "engine_feedback_question",
    "engine_after_outcome_prompt",
    "engine_feedback_thanks",
    "engine_feedback_sorry",
    "engine_service_fits_because",
    "engine_service_ruled_out_because",
    "engine_service_not_asked",
    "engine_service_out_of_area",
    "engine_service_waiting_list",
    "engine_service_closed",
    "engine_word_and",
    "engine_fact_value",
    "engine_fact_not_given",
    "engine_eligibility_not_asked",
    "engine_unmet_title",
    "engine_unmet_kind_words",
    "engine_unmet_ineligible",
    "engine_unmet_waiting_list",
    "engine_unmet_out_of_area",
    "engine_unmet_no_service",
    "engine_unmet_other_help",
    "engine_choose_topic_title",
    "engine_choose_topic_text",
    "engine_choose_topic_prompt",
    "engine_two_needs_title",
    "engine_two_needs_text",
    "engine_no_match_title",
    "engine_no_match_text",
    "engine_not_understood_text",
    "engine_no_match_prompt",
    "engine_reask_title",
    "engine_reask_prompt",
    "engine_understood",
    "engine_help_title",
    "engine_help_text",
    "engine_talk_to_person_title",
    "engine_talk_to_person_text",
    "engine_safeguarding_title",
    "engine_safeguarding_text",
    "engine_safeguarding_prompt",
    "engine_finished_title",
    "engine_finished_text",
    "plain_help_for_question",
    "plain_step",
    "plain_because",
    "plain_provider",
    "plain_phone",
    "plain_phone_for",
    "plain_text_number",
    "plain_email",
    "plain_website",
    "plain_address",
    "plain_how_to_start",
    "plain_cost",
    "plain_hours",
    "plain_ruled_out_heading",
    "plain_ruled_out_item",
    "plain_other_help_heading",
    "plain_commands",
    "plain_not_a_choice",
    "plain_goodbye",
    "plain_consent_heading",
    "plain_consent_district",
    "plain_consent_age_band",
    "plain_consent_yes",
    "plain_consent_no",
    "plain_consent_prompt",
    "plain_consent_thanks",
    "plain_store_problem",
    "plain_store_not_saved",
    "plain_preview_as_of",
)
"""Message keys the conversation (`navigator.engine`) and the plain-text front end use."""

REQUIRED_MESSAGES: tuple[str, ...] = (*ENGINE_MESSAGES,)
"""Message keys the engine and front ends look up in `messages:`."""


@dataclass(frozen=True)
class Requirements:
    """The ids a knowledge base must declare. Passed in, so tests can ask for others."""

    reasons: tuple[str, ...] = REQUIRED_REASONS
    messages: tuple[str, ...] = REQUIRED_MESSAGES
