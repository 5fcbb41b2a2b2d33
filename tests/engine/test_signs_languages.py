"""Crisis signs in the languages residents write in (session 11, branch signslang).

A message written wholly in Polish, Spanish, Urdu, Chinese... that tells of a crisis was
caught by nothing: the sign lexicon held English and Welsh only, and no meaning line reads
those languages. The knowledge base now lists short signs in each (native script, and Latin
letters where people type so); Chinese, written without spaces, is matched as a run of
characters. Real knowledge base, real engine; every message here was written for this test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from navigator.engine.conversation import Conversation
from navigator.engine.safeguarding import SafeguardingDetector
from navigator.engine.understanding.pipeline import Understanding
from navigator.engine.understanding.signs import SignLexicon
from navigator.engine.views import SafeguardingView
from navigator.kb import KnowledgeBase
from tests.engine.crisis_set import DATA
from tests.support.counting import CountingDetector

DISCLOSURES = (
    ("nie wiem co robić, chcę umrzeć", "suicide-self-harm"),
    ("mąż mnie bije od miesięcy", "domestic-abuse"),
    ("ya no puedo más, me quiero morir", "suicide-self-harm"),
    ("mi pareja me pega cuando bebe", "domestic-abuse"),
    ("no tengo dónde dormir con mis hijos esta noche", "nowhere-to-sleep"),
    ("vreau sa mor, nu mai suport", "suicide-self-harm"),
    ("o meu pai tem dor no peito e está suado", "medical-emergency"),
    ("noriu mirti", "suicide-self-harm"),
    ("main bohat pareshan hoon, marna chahta hoon", "suicide-self-harm"),
    ("میں مرنا چاہتا ہوں", "suicide-self-harm"),
    ("আমি আর পারছি না, মরতে চাই", "suicide-self-harm"),
    ("ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ", "suicide-self-harm"),
    ("મારે મરી જવું છે", "suicide-self-harm"),
    ("زوجي يضربني كل يوم", "domestic-abuse"),
    ("ana ta3ban, bade moot", "suicide-self-harm"),
    ("ninkayga wuu i garaacaa", "domestic-abuse"),
    ("我真的不想活了", "suicide-self-harm"),
    ("我爸爸胸口痛，喘不过气", "medical-emergency"),
    ("老公打我，我很害怕", "domestic-abuse"),
    # Session 11 review: each overlapped a guard ("想死你", "打我电话") and was silenced.
    ("我想死你们别来找我", "suicide-self-harm"),
    ("老公打我电话也被他抢走了", "domestic-abuse"),
    # Session 12 (branch cleanup2): Spanish is declared, so a Spanish message is no longer
    # read by the English line; the core of each kind is a Spanish sign, as in English.
    ("mis hijos no han comido desde el domingo", "children-no-food"),
    ("no tengo comida para mis hijos hasta el lunes", "children-no-food"),
    ("mi novio me pegó anoche y tengo miedo", "domestic-abuse"),
    ("mi marido no me deja salir ni ver a mi familia", "domestic-abuse"),
    ("tengo miedo de mi pareja, me amenaza", "domestic-abuse"),
    ("me voy a suicidar, ya no aguanto más", "suicide-self-harm"),
    ("dormimos en el coche con el bebé", "nowhere-to-sleep"),
    ("no puedo despertarla, está en el suelo", "medical-emergency"),
    ("le está dando un infarto a mi padre", "medical-emergency"),
    ("hay un hombre fuera y tiene un cuchillo", "immediate-danger"),
    ("el dueño del restaurante me quitó el pasaporte", "adult-abuse"),
    ("mi padrastro me pega cuando mamá no está", "child-abuse"),
    # Session 12 (branch youngcarer): Polish had no sign of a weapon or danger now.
    ("on ma nóż i stoi pod drzwiami", "immediate-danger"),
    ("sasiadka ma noz i wali w drzwi", "immediate-danger"),
    ("jakiś facet z nożem pod blokiem", "immediate-danger"),
    ("moj byly grozi ze mnie zabije", "immediate-danger"),
    ("ktoś się włamuje do mieszkania, jestem sama", "immediate-danger"),
    ("mąż zamknął mnie w pokoju i zabrał telefon", "immediate-danger"),
    # Session 12 review (branch spanish2): the real-crisis forms of the signs made longer.
    ("mi padre está teniendo un derrame", "medical-emergency"),
    ("mi marido me pegó anoche", "domestic-abuse"),
    ("no respira, no se despierta", "medical-emergency"),
    ("mi madre se ha desmayado y no reacciona", "medical-emergency"),
    ("un hombre me está siguiendo y tengo miedo", "immediate-danger"),
)
REVIEW_ORDINARY = (
    "mi padre tuvo un derrame cerebral el año pasado y necesito ayuda en casa",
    "meu pai teve um derrame cerebral no ano passado e preciso de ajuda",
    "me pegó la gripe y no puedo ir a trabajar",
    "mi hijo me pegó un susto ayer",
    "dormimos en el coche durante el viaje a Madrid",
    "alguien me está siguiendo en instagram",
    "el cocinero tiene un cuchillo nuevo",
    "mi abuela se ha desmayado dos veces este mes, necesito cita con el médico",
    "mi bebé no respira bien por la nariz, necesito un médico",
)
"""Session 12 review: ordinary Spanish (and Portuguese) that opened the panel in a conversation."""
ORDINARY = (
    "umieram ze śmiechu",
    "me muero de hambre, ¿dónde hay un banco de alimentos?",
    "mă bate gândul să mă mut în alt oraș",
    "se me pega todo lo que cocino",
    "我想死你了",
    "老公打我电话了，我要回家",
    "我需要帮助支付房租",
    # Session 12: Spanish idioms beside the Spanish signs written then.
    "mi madre no me deja salir con mis amigos",
    "casi me da un infarto cuando vi la factura de la luz",
    "estoy en peligro de perder el trabajo",
    "mis hijos no han comido verduras nunca",
    "me corto el pelo el jueves",
    "mi madre me va a matar si llego tarde",
    # Session 12 (branch youngcarer): Polish beside the Polish signs of danger now.
    "dziecko ma zatkany nos i kaszle",
    "kupiłam nowy nóż do kuchni",
    "syn nie umie jeść nożem i widelcem",
    "co ma noc do tego",
    "szef zamknął mnie w grafiku na cały weekend",
    "jestem w ciąży i szukam położnej",
    # Session 12 review: each alarmed on a Spanish sign of cleanup2 (spanish2 made the
    # signs longer or wrote a guard holding the whole sign).
    *REVIEW_ORDINARY,
    # Session 12 spanish2: more ordinary Spanish with alarming words, written for this test.
    "casi me muero de risa con la película",
    "mi jefe me va a matar si llego tarde otra vez",
    "estoy muerto de cansancio después del trabajo",
    "mi madre tuvo un infarto hace años y necesito un cuidador",
    "mi abuelo tuvo un derrame y ahora necesita una silla de ruedas",
    "la película trata de un hombre con un cuchillo",
    "tengo miedo de mi jefe, es muy exigente",
    "el perro de mi vecina se ha desmayado con el calor",
    "alguien me está siguiendo en tiktok y no sé quién es",
    "me quedé encerrado fuera de casa sin llaves",
)


@pytest.fixture(scope="module")
def signs(demo_kb: KnowledgeBase) -> SignLexicon:
    return SignLexicon(demo_kb.safeguarding, demo_kb.vocabulary)


@pytest.mark.parametrize(("said", "kind"), DISCLOSURES)
def test_a_crisis_said_wholly_in_another_language_is_caught_by_a_sign(
    signs: SignLexicon, said: str, kind: str
) -> None:
    found = signs.check(said)
    assert found is not None, said
    assert found.kind_id == kind


@pytest.mark.parametrize("said", ORDINARY)
def test_idioms_and_ordinary_messages_in_those_languages_raise_no_sign(
    signs: SignLexicon, said: str
) -> None:
    assert signs.check(said) is None


@pytest.mark.parametrize("said", REVIEW_ORDINARY)
def test_ordinary_spanish_the_review_found_asks_nothing_in_a_conversation(
    demo_kb: KnowledgeBase, detector: SafeguardingDetector, said: str
) -> None:
    """The whole pipeline, not the sign line alone: neither the panel nor the check-in."""
    understanding = Understanding(demo_kb, safeguarding=detector)
    conversation = Conversation(demo_kb, channel="kiosk", site="test", understanding=understanding)
    view = conversation.say(said)
    assert view.kind not in {"safeguarding", "check_in"}, view.kind


def test_a_chinese_sign_is_found_inside_a_run_of_characters(signs: SignLexicon) -> None:
    """No spaces: the word matcher sees one long "word"; the run matcher finds the sign."""
    found = signs.check("最近压力很大我想自杀")
    assert found is not None and found.kind_id == "suicide-self-harm"


def _ordinary_texts() -> list[str]:
    """Ordinary messages in other languages, and the mixed set's near misses."""
    texts = []
    for name in ("languages.yaml", "languages_more.yaml", "languages_holdout2.yaml"):
        data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        texts += [m["text"] for m in data["messages"]]
    mixed = yaml.safe_load((DATA / "crisis_mixed.yaml").read_text(encoding="utf-8"))
    texts += [m["text"] if isinstance(m, dict) else m for m in mixed["near_misses"]]
    return texts


def test_no_sign_in_another_language_fires_on_an_ordinary_message(signs: SignLexicon) -> None:
    """Counts only: a sign written in another language found in none of these."""
    fired = [
        found.phrase
        for text in _ordinary_texts()
        if (found := signs.check(text)) is not None and not found.phrase.isascii()
    ]
    assert len(fired) == 0, fired


def test_the_panel_opens_with_a_line_in_the_language_the_crisis_was_said_in(
    demo_kb: KnowledgeBase,
) -> None:
    conversation = Conversation(demo_kb, channel="plain", site="library")
    view = conversation.say("mąż mnie bije, boję się wrócić do domu")
    assert isinstance(view, SafeguardingView)
    assert view.language == "pl"
    assert view.text.startswith(demo_kb.languages["pl"].crisis)
    assert "999" in demo_kb.languages["pl"].crisis


@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("mąż mnie bije, boję się wrócić do domu", "pl"),
        ("ya no puedo más, me quiero morir", "es"),  # session 12: Spanish has a line
        # Welsh has no `crisis` line (the knowledge base is served in Welsh): none is shown.
        ("dw i eisiau marw, alla i ddim mwy", ""),
        ("my partner keeps hitting me", ""),
    ],
)
def test_the_panel_reads_the_language_once_from_the_pipeline(
    demo_kb: KnowledgeBase, said: str, line: str
) -> None:
    """The panel's language line comes from the pipeline's reading: the detector reads the
    message once (it read it a second time for the panel before session 12's cleanup)."""
    languages = CountingDetector.for_knowledge(demo_kb)
    understanding = Understanding(demo_kb, languages=languages)
    conversation = Conversation(
        demo_kb, channel="plain", site="library", understanding=understanding
    )
    view = conversation.say(said)
    assert isinstance(view, SafeguardingView)
    assert view.language == line
    if line:
        assert view.text.startswith(demo_kb.languages[line].crisis)
    assert languages.calls == 1


def test_an_english_crisis_panel_has_no_other_language_line(demo_kb: KnowledgeBase) -> None:
    conversation = Conversation(demo_kb, channel="plain", site="library")
    view = conversation.say("my partner keeps hitting me")
    assert isinstance(view, SafeguardingView)
    assert view.language == ""
    assert not any(
        language.crisis and language.crisis in view.text for language in demo_kb.languages.values()
    )


def test_navigator_chat_plain_shows_the_polish_line_on_the_panel(
    demo_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The real command in a child process: a crisis said in Polish opens the panel, and
    the panel opens with the knowledge base's Polish line (999, an interpreter)."""
    environment = {
        **os.environ,
        "NAVIGATOR_DATA_DIR": str(tmp_path / "data"),
        "NAVIGATOR_CONFIG": str(tmp_path / "none.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "chat", "--plain"],
        input="mąż mnie bije, boję się wrócić do domu\n".encode(),
        capture_output=True,
        env=environment,
        timeout=180,
        check=False,
    )
    shown = " ".join(done.stdout.decode("utf-8").split())
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert " ".join(demo_kb.languages["pl"].crisis.split()) in shown
    kind = next(k for k in demo_kb.safeguarding.kinds if k.id == "domestic-abuse")  # type: ignore[union-attr]
    assert kind.title.get() in shown
