"""The demo's free text (synthetic, no real child or family in it): what auditors, moderators and
families write, by the seed's core areas of practice ("The annual schedule of auditing activity
... exploring and understanding core areas of practice"), each as strengths and as barriers, with
slots varied at random so that no two audits read alike. Stage 3's themes are found in these
words; the area a sentence was written for is its label (the theme tests' labelled set)."""

import random
from dataclasses import dataclass

from caseaudit.reports.vocabulary import CORE_AREAS

SLOTS = {
    "child": ["the child", "the young person", "the baby", "the children", "the teenager"],
    "partner": [
        "the school",
        "the health visitor",
        "CAMHS",
        "the police",
        "the GP",
        "the nursery",
        "the youth offending service",
    ],
    "family": ["mum", "dad", "the grandparents", "the foster carers", "the parents", "the aunt"],
    "meeting": [
        "the core group",
        "the child in need meeting",
        "the review",
        "the strategy discussion",
        "the family group conference",
    ],
    "time": [
        "since the summer",
        "over the last three months",
        "since the last review",
        "this term",
        "since the case transferred",
    ],
}

STRENGTHS: dict[str, list[str]] = {
    "childs_journey": [
        "The move to the new placement was planned with {child}, who visited twice before moving {time}.",
        "The transfer between teams was smooth: a joint visit introduced the new worker to {child}.",
        "Transitions are well managed; {child} knew who their worker would be before the case moved.",
    ],
    "risk_factors": [
        "Risks of neglect are clearly analysed, with the impact on {child} set out in plain words.",
        "The safety plan names each risk and what {family} will do, and it was reviewed at {meeting}.",
        "Domestic abuse risk is well understood; the worker used a recognised risk tool and shared it "
        "with {partner}.",
    ],
    "assessment_planning_review": [
        "The assessment is analytical and the plan follows from it, with clear outcomes for {child}.",
        "The plan is SMART and was reviewed at {meeting}; progress against each outcome is recorded.",
        "A thorough assessment that weighs strengths and concerns and includes {family}.",
    ],
    "engaging_families": [
        "The worker has built a trusting relationship with {family}, who say they feel listened to.",
        "The family, {family} among them, were involved in writing the plan and understand what needs "
        "to change.",
        "Creative direct work with {child}: their wishes and feelings are recorded in their own words.",
    ],
    "joint_working": [
        "Good joint working with {partner}; information is shared promptly and actions are agreed at "
        "{meeting}.",
        "Someone from {partner} comes to every meeting and the plan reflects their view of {child}.",
        "Multi-agency working is strong: {partner} and the worker visited together {time}.",
    ],
    "equalities": [
        "The family's culture and faith are understood and shape how the plan is delivered.",
        "An interpreter was used for every visit so that {family} could take part fully.",
        "The worker considered the child's identity and heritage throughout the assessment.",
    ],
    "recording": [
        "Case notes are up to date, clear and written to {child}; the chronology is current.",
        "Recording is of a high standard: visits are written up within days and say what was seen.",
        "The chronology is complete and the case summary gives a newcomer the whole picture.",
    ],
    "management_oversight": [
        "Management oversight is clear: the practice manager's decisions are recorded with reasons.",
        "Regular reflective supervision is evident and has moved the plan on {time}.",
        "Decisions at each step are recorded by the manager, with the child's needs at the centre.",
    ],
    "impact_outcomes": [
        "Things are better for {child}: school attendance has improved {time}.",
        "The plan has made a difference: the family report fewer arguments and {child} is sleeping better.",
        "Clear impact: {child} is now engaged with {partner} and their health needs are met.",
    ],
    "staff_wellbeing": [
        "The worker was supported to reflect on a difficult visit and the learning is recorded.",
        "Training on direct work tools has been put into practice with {child}.",
    ],
    "social_work_processes": [
        "Statutory visits are on time and {child} is seen alone at each one.",
        "Reviews and core groups have taken place within timescales {time}.",
    ],
}

BARRIERS: dict[str, list[str]] = {
    "childs_journey": [
        "Three changes of worker {time} have left {child} unsure who to talk to.",
        "The placement move happened in an emergency and {child} was not prepared for it.",
        "Drift: the case has been open for a long time without the plan moving on.",
    ],
    "risk_factors": [
        "The risk from the new partner has not been assessed, although {partner} raised it {time}.",
        "The safety plan is out of date and does not reflect the recent incident.",
        "Risks of exploitation are mentioned but not analysed; there is no plan to reduce them.",
    ],
    "assessment_planning_review": [
        "The plan lists tasks but no outcomes for {child}, and it has not been reviewed since it was "
        "written.",
        "The assessment describes the family but does not analyse what life is like for {child}.",
        "The plan was not updated after {meeting}, so actions are repeated from month to month.",
    ],
    "engaging_families": [
        "The family, {family} among them, were not invited to {meeting} and do not know what the plan "
        "asks of them.",
        "The child's voice is missing: there is no record of what {child} thinks about the plan.",
        "Dad's views are not sought; the work is only with mum.",
    ],
    "joint_working": [
        "Information from {partner} is not followed up, and they were not invited to {meeting}.",
        "There is no evidence of contact with {partner} {time}, although they see {child} daily.",
        "Partners' actions from {meeting} are not recorded, so nobody knows whether they were done.",
    ],
    "equalities": [
        "The family's first language is not English but no interpreter was used at the assessment.",
        "The child's identity and culture are not considered in the plan.",
    ],
    "recording": [
        "Case notes are behind: the last two visits are not written up and the chronology stops {time}.",
        "Recording does not say whether {child} was seen alone or what they said.",
        "Key documents are missing from the file, including the minutes of {meeting}.",
    ],
    "management_oversight": [
        "There is no recorded management oversight {time}; decisions are not explained.",
        "Supervision notes are brief and do not challenge drift in the plan.",
        "The decision to step down was not recorded by a manager and its reasons are unclear.",
    ],
    "impact_outcomes": [
        "It is not clear that the plan has made any difference for {child} {time}.",
        "Outcomes are not measured, so it cannot be said whether things are better for {child}.",
    ],
    "staff_wellbeing": [
        "The worker holds a high caseload and visits have been missed as a result.",
        "The worker is newly qualified and has not had the support their first year needs.",
    ],
    "social_work_processes": [
        "Statutory visits are overdue and {child} has not been seen alone {time}.",
        "The review was late and the plan lapsed in the meantime.",
    ],
}

# Which areas each section of the Good Practice audit speaks to most.
SECTION_AREAS = {
    "assessment": ["assessment_planning_review", "risk_factors", "engaging_families", "equalities"],
    "planning": ["assessment_planning_review", "joint_working", "childs_journey"],
    "intervention": ["engaging_families", "joint_working", "impact_outcomes", "social_work_processes"],
    "review": ["assessment_planning_review", "impact_outcomes", "childs_journey"],
    "reflection_supervision": ["management_oversight", "staff_wellbeing", "recording"],
}

FAMILY_GOOD = {
    "feedback.listened_to": [
        "Yes. She always asks what I think before she writes anything.",
        "They listen and they come back when they say they will.",
        "My worker talks to me on my own and I can say what I want.",
    ],
    "feedback.understand_plan": [
        "Yes, we made the plan together at the meeting.",
        "I know what I have to do and what they will do.",
    ],
    "feedback.what_changed": [
        "I go to school every day now.",
        "We argue less at home and I feel safer.",
        "Mum is getting help and things are calmer.",
    ],
    "feedback.what_helped": [
        "Having the same worker for a long time.",
        "The meeting at school where everyone came.",
        "Being asked what I wanted.",
    ],
    "feedback.could_be_better": [
        "Tell us sooner when a visit is cancelled.",
        "Fewer meetings in the school day.",
    ],
}
FAMILY_POOR = {
    "feedback.listened_to": [
        "Not really. The plan was decided before we got there.",
        "I have had three workers and had to tell my story every time.",
    ],
    "feedback.understand_plan": [
        "No one explained the plan to me.",
        "I am not sure what they want me to do.",
    ],
    "feedback.what_changed": ["Nothing much has changed.", "It is the same as before."],
    "feedback.what_helped": ["The school helped more than social care."],
    "feedback.could_be_better": [
        "Keep the same worker.",
        "Call back when you say you will.",
        "Let me speak to someone on my own.",
    ],
}


@dataclass(frozen=True)
class Fragment:
    text: str
    area: str
    kind: str  # "strength" or "barrier"


def _fill(rng: random.Random, template: str) -> str:
    text = template
    for slot, choices in SLOTS.items():
        while "{" + slot + "}" in text:
            text = text.replace("{" + slot + "}", rng.choice(choices), 1)
    return text[0].upper() + text[1:]


def fragment(rng: random.Random, area: str, kind: str) -> Fragment:
    bank = STRENGTHS if kind == "strength" else BARRIERS
    return Fragment(_fill(rng, rng.choice(bank[area])), area, kind)


def paragraph(rng: random.Random, areas: list[str], kind: str, sentences: int = 2) -> str:
    """A few sentences, each a strength or a barrier, on one area chosen from `areas` (now and then
    a second area: people write about what they saw, not by category)."""
    area = rng.choice(areas)
    chosen = [area if index == 0 or rng.random() < 0.8 else rng.choice(areas) for index in range(sentences)]
    texts: list[str] = []
    for each in chosen:
        found = fragment(rng, each, kind).text
        if found not in texts:
            texts.append(found)
    return " ".join(texts)


def labelled_set(rng: random.Random, count: int) -> list[Fragment]:
    """`count` fragments, each with the area and kind it was written for (the themes' test set)."""
    areas = list(CORE_AREAS)
    return [fragment(rng, rng.choice(areas), rng.choice(["strength", "barrier"])) for _ in range(count)]


def family_answers(rng: random.Random, *, good: bool) -> dict[str, str]:
    bank = FAMILY_GOOD if good else FAMILY_POOR
    return {ref: rng.choice(choices) for ref, choices in bank.items() if rng.random() < 0.85}
