"""Graph checks: reachability, ends, loops, options that cannot be told apart, unused services."""

from __future__ import annotations

from pathlib import Path

from navigator.kb import load
from navigator.kb.validate import validate
from tests.kb.kbfiles import TODAY, TOPIC, at, check, line_of, only, write_kb

ORPHANS = """\
nodes:
  - id: orphan-start
    type: question
    text: Is this a draft?
    options:
      - label: "Yes"
        next: orphan-end
      - label: "No"
        next: carers-outcome
  - id: orphan-end
    type: unmet
    text: Nothing here yet.
    need: carers-support
    reason: no_service
"""


def test_nodes_no_topic_leads_to_are_reported_once_per_part(tmp_path: Path) -> None:
    write_kb(tmp_path, extra={"drafts.yaml": ORPHANS})
    _, findings = check(tmp_path)
    finding = only(findings, "unreachable-node")
    assert at(finding) == ("drafts.yaml", line_of(tmp_path / "drafts.yaml", "- id: orphan-start"))
    assert "'orphan-start'" in finding.message
    assert "Nor can the 1 nodes after it: 'orphan-end'" in finding.message
    assert finding.field == "nodes[0].id"


def test_unreachable_loop_without_a_head_is_still_reported(tmp_path: Path) -> None:
    loop = ORPHANS.replace("next: orphan-end", "next: orphan-start")
    write_kb(tmp_path, extra={"drafts.yaml": loop})
    _, findings = check(tmp_path)
    unreachable = [f for f in findings if f.code == "unreachable-node"]
    assert {at(f)[0] for f in unreachable} == {"drafts.yaml"}
    reported = " ".join(f.message for f in unreachable)
    assert "orphan-start" in reported and "orphan-end" in reported


def test_a_loop_with_no_way_out_and_the_node_leading_into_it(tmp_path: Path) -> None:
    # carers-money's options both go back to carers-info, which leads to carers-money.
    trapped = TOPIC.replace("next: carers-outcome", "next: carers-info")
    write_kb(tmp_path, topics=trapped)
    _, findings = check(tmp_path)
    path = tmp_path / "topics/carers.yaml"
    loop = only(findings, "loop-without-exit")
    assert at(loop) == ("carers.yaml", line_of(path, "- id: carers-info"))
    assert "'carers-info', 'carers-money'" in loop.message
    stuck = sorted(at(f) for f in findings if f.code == "no-way-to-end")
    assert stuck == [("carers.yaml", line_of(path, "- id: carers-age"))]
    # carers-outcome is still there but nothing leads to it any more
    assert {f.code for f in findings} == {"loop-without-exit", "no-way-to-end", "unreachable-node"}


def test_a_question_that_leads_to_itself_is_a_loop(tmp_path: Path) -> None:
    selfish = TOPIC.replace(
        "        set: {age_band: under-65}\n        next: carers-info",
        "        set: {age_band: under-65}\n        next: carers-age",
    ).replace(
        "        set: {age_band: 65+}\n        next: carers-info",
        "        set: {age_band: 65+}\n        next: carers-age",
    )
    write_kb(tmp_path, topics=selfish)
    _, findings = check(tmp_path)
    loop = only(findings, "loop-without-exit")
    assert "'carers-age'" in loop.message
    assert at(loop) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", "- id: carers-age"))


def test_a_loop_with_a_way_out_is_fine(tmp_path: Path) -> None:
    # "Not sure" goes back to the start: a loop, but every node can still reach an end.
    back = TOPIC.replace(
        "      - label: 65 or over\n",
        "      - label: Not sure\n        next: carers-start\n      - label: 65 or over\n",
    )
    write_kb(tmp_path, topics=back)
    _, findings = check(tmp_path)
    assert findings == []


def test_a_very_long_chain_into_a_loop_does_not_recurse(tmp_path: Path) -> None:
    length = 3_000
    nodes = ["nodes:"]
    for number in range(length):
        nodes += [
            f"  - id: chain-{number}",
            "    type: info",
            "    text: Keep going.",
            f"    next: chain-{number + 1 if number + 1 < length else 0}",
        ]
    chain = TOPIC.replace("next: carers-none", "next: chain-0")
    write_kb(tmp_path, topics=chain, extra={"chain.yaml": "\n".join(nodes) + "\n"})
    _, findings = check(tmp_path)
    loop = only(findings, "loop-without-exit")
    assert "and 2994 more" in loop.message
    assert "no-way-to-end" not in {f.code for f in findings}  # every chain node is in the loop


def test_two_options_that_read_the_same(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace('- label: "No"', '- label: "yes!"'))
    _, findings = check(tmp_path)
    finding = only(findings, "duplicate-option-label")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", 'label: "yes!"'))
    assert finding.field == "nodes[0].options[1].label"
    assert "options 1 and 2" in finding.message


def test_two_options_with_the_same_id(tmp_path: Path) -> None:
    same = TOPIC.replace('      - label: "No"\n', '      - label: "No"\n        id: "yes"\n')
    write_kb(tmp_path, topics=same)
    _, findings = check(tmp_path)
    finding = only(findings, "duplicate-option-id")
    assert at(finding) == ("carers.yaml", line_of(tmp_path / "topics/carers.yaml", 'id: "yes"'))
    assert "'yes'" in finding.message


def test_a_service_no_node_offers(tmp_path: Path) -> None:
    write_kb(tmp_path, topics=TOPIC.replace("[carers-centre, carers-grant]", "[carers-centre]"))
    _, findings = check(tmp_path)
    finding = only(findings, "service-never-offered")
    assert at(finding) == (
        "carers.yaml",
        line_of(tmp_path / "topics/carers.yaml", "- id: carers-grant"),
    )


def test_services_offered_only_by_unmet_ends_count_as_offered(tmp_path: Path) -> None:
    moved = TOPIC.replace("[carers-centre, carers-grant]", "[carers-centre]").replace(
        "    reason: no_service\n", "    reason: no_service\n    services: [carers-grant]\n"
    )
    write_kb(tmp_path, topics=moved)
    _, findings = check(tmp_path)
    assert findings == []


def test_structure_checks_wait_until_schema_errors_are_fixed(tmp_path: Path) -> None:
    # A node with a schema error is left out; reachability would blame sound nodes after it.
    broken = TOPIC.replace(
        "    text: How old are you?\n", "    text: How old are you?\n    colour: red\n"
    )
    write_kb(tmp_path, topics=broken)
    result = load(tmp_path)
    findings = [*result.diagnostics, *validate(result.knowledge, today=TODAY)]
    assert [f.code for f in findings] == ["schema"]
