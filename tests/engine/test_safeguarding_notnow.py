"""Frames that must never silence a crisis told now (session 12, branch notnow2): a review of
branch misses9's `told_not_now` frames and its films-read-as-past rule found disclosures that
showed a panel or the check-in question on main and showed nothing after them. A film, a
game, a course or a past time frames only what is watched, played, learnt about or over;
never a clause that tells of harm to the person now. Each text must interrupt: the panel or
the check-in question, through the detector with meaning prepared, and two through a kiosk
conversation.
"""

from __future__ import annotations

import pytest

from navigator.engine import views as v
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.safety import told_not_now
from navigator.kb import KnowledgeBase

from .conftest import KioskConversation

REVIEWED = [
    # 1. a media word beside a first-person sign
    "that film made me want to kill myself",
    "the song makes me want to kill myself",
    "since watching that documentary i want to end my life",
    "i watched a film about suicide and now i want to do it too",
    "during an episode i tried to kill myself last night",
    "the song he sings while he strangles me",
    # 2. a game beside abuse
    "he hits me when he loses at fifa",
    "he hits me when he loses at darts",
    "he hits me after the darts",
    "he strangles me when he loses on fortnite",
    # 3. a helping or learning word beside abuse
    "my son is being groomed by his football coach at training",
    "the youth worker at training touched my son",
    "my manager on my training placement keeps touching me",
    "he raped me on the course residential",
    "he strangles me if i go to my recovery group",
    # 4. past and present in one sentence
    "i was raped in 2019, i'm in recovery but he found me again",
    "i tried to kill myself as a teenager and i'm in recovery but i want to try again",
    # 5. films as a verb, and a place
    "he films me being beaten and puts it online",
    "my boyfriend films me in the shower without asking",
    "i got beaten up on the way back from the cinema and im bleeding",
]
"""The reviewer's texts: each interrupted on main and showed nothing after misses9."""

INVENTED = [
    "the documentary about self harm made me want to cut myself",
    "i watched a movie about overdoses and im going to take all my pills",
    "that song makes me want to end it all",
    "he hits me during the film if i talk",
    "my stepdad touches me while we watch films",
    "he beat me up after the quiz",
    "he punches me whenever he loses at chess",
    "my husband strangles me over the xbox",
    "my coach at training touches me and says its our secret",
    "the volunteer at the food bank keeps touching my daughter",
    "he raped me after the awareness course",
    "i self harmed last year and im doing well but tonight i cut myself",
    "i overdosed in 2020 and was fine but i want to do it again",
    "i was abused as a child, all sorted but hes back and still hurting me",
    "saw a film about suicide last night and i think i will do the same",
    "the podcast about self harm is me, i cut myself every night",
    "my dad films me when he hits me",
    "i overdosed in 2021 and im in recovery but i still want to die",
    "he chokes me at the darts club when hes drunk",
    "the man from my recovery group keeps messaging my 13 year old for photos",
    "that video game makes me want to kill myself",
    "i saw him outside the cinema and he stabbed me",
    "my uncle touches me when we play monopoly",
    "i went to a talk on suicide and now i want to kill myself",
    "the programme about self harm showed cutting, i do that every day",
    "saw a documentary about a man who strangled his wife, my husband is just like him",
    "a song about suicide is all i listen to, i have the pills ready",
    "he beat me at fifa then punched me in the face",
    "he beat me at darts, he beats me at home too",
    "i overdosed as a teenager, doing well, but last night i took 20 paracetamol",
    "awareness week for suicide, i am planning mine",
    "my daughter volunteers at a support group for people who self harm and she cut herself",
]
"""Adversarial texts written for this branch: a frame word beside a sign told now."""


@pytest.mark.parametrize("text", REVIEWED + INVENTED)
def test_a_frame_never_silences_a_crisis_told_now(
    detector: SafeguardingDetector, text: str
) -> None:
    """The panel or the check-in question: a missed crisis can cost a life, a check-in costs
    a second."""
    verdict = detector.assess(text)
    assert verdict is not None, text


@pytest.mark.parametrize(
    "text", ["that film made me want to kill myself", "he hits me when he loses at fifa"]
)
def test_a_kiosk_conversation_interrupts_a_framed_crisis(
    kiosk_conversation: KioskConversation, detector: SafeguardingDetector, text: str
) -> None:
    """The same through the conversation a kiosk runs."""
    view = kiosk_conversation(detector).say(text)
    assert isinstance(view, v.SafeguardingView | v.CheckInView), text


@pytest.mark.parametrize("text", REVIEWED + INVENTED)
def test_no_frame_is_found_around_a_crisis_told_now(demo_kb: KnowledgeBase, text: str) -> None:
    """`told_not_now` frames none of them, whatever meaning would say."""
    from navigator.engine.understanding.signs import SignLexicon

    signs = SignLexicon(demo_kb.safeguarding, demo_kb.vocabulary)
    assert told_not_now(text, lambda part: signs.check(part) is not None) is False, text


def test_a_sign_past_the_window_is_never_framed(demo_kb: KnowledgeBase) -> None:
    """The sign line reads 2,000 characters after normalising; a frame must not be found in
    a shorter raw window while a sign lies past it."""
    from navigator.engine.understanding.signs import SignLexicon

    signs = SignLexicon(demo_kb.safeguarding, demo_kb.vocabulary)
    text = "saw a documentary about self harm last night " + "!" * 2000 + " i want to kill myself"
    assert signs.check(text) is not None
    assert told_not_now(text, lambda part: signs.check(part) is not None) is False
