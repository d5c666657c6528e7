"""The starting vocabulary of themes (QA-2): the seed's core areas of practice ("The annual
schedule of auditing activity ... exploring and understanding core areas of practice which
include ..."), each with the words practitioners use about it. The themes found in a quarter's
free text start from these areas; what does not fit any of them becomes a theme of its own.

The polarity words tell a strength from a barrier (what auditors, moderators and families write
when something works, and when it does not)."""

import re

CORE_AREAS: dict[str, str] = {
    "childs_journey": "The child's journey, including transitions",
    "risk_factors": "Specific risk factors",
    "assessment_planning_review": "Assessment, planning and review",
    "engaging_families": "Engaging families",
    "joint_working": "Joint working",
    "equalities": "Equalities and social graces",
    "recording": "Recording",
    "management_oversight": "Management oversight and decision making",
    "impact_outcomes": "Impact and outcomes",
    "staff_wellbeing": "Staff wellbeing and practice development",
    "social_work_processes": "Social work processes",
}

# Words of each area: what a practitioner writing about it would say.
AREA_TERMS: dict[str, str] = {
    "childs_journey": (
        "journey transition transitions move moved placement transfer transferred changes "
        "of worker new worker drift delay open for a long time prepared emergency"
    ),
    "risk_factors": (
        "risk risks safety plan neglect domestic abuse exploitation incident harm danger "
        "threshold risk assessment safeguarding partner"
    ),
    "assessment_planning_review": (
        "assessment plan planning review reviewed outcomes smart analysis analytical "
        "analyse needs strengths concerns plan updated tasks"
    ),
    "engaging_families": (
        "family families parents mum dad carers voice wishes feelings listened involved "
        "views relationship direct work own words listen listens explained asked together "
        "trust meeting on my own"
    ),
    "joint_working": (
        "partners partner agencies multi agency school health police gp camhs nursery "
        "information shared joint working core group attend invited"
    ),
    "equalities": ("culture faith identity heritage language interpreter equalities diversity"),
    "recording": (
        "recording case notes chronology written up file documents minutes summary recorded up to date"
    ),
    "management_oversight": (
        "management oversight manager decision decisions supervision reasons challenge "
        "practice manager recorded by a manager step down"
    ),
    "impact_outcomes": (
        "impact outcomes difference better improved attendance progress things are better measured"
    ),
    "staff_wellbeing": ("worker caseload training support reflect reflection newly qualified wellbeing"),
    "social_work_processes": (
        "statutory visits timescales seen alone review late overdue lapsed core groups"
    ),
}

BARRIER_WORDS = re.compile(
    r"\b(not|no|never|nobody|nothing|missing|missed|overdue|late|drift|delay|unclear|lack|lacks|without|"
    r"behind|lapsed|out of date|poor|unsure|same as before|repeated|brief)\b",
    re.IGNORECASE,
)
STRENGTH_WORDS = re.compile(
    r"\b(good|well|clear|clearly|strong|thorough|timely|improved|better|up to date|trusting|creative|smooth|"
    r"evident|high standard|listened|listen|helped|safer|calmer|on time|promptly|understood|smoothly|"
    r"every day|always|together|made a difference|planned|involved|understand|considered|complete|supported|"
    r"comes to every|within timescales|put into practice|reflects|names each|used for every|at the centre)\b",
    re.IGNORECASE,
)


def polarity(text: str) -> str:
    """ "strength", "barrier" or "neutral": what the words of a text lean to (a barrier's words
    weigh more, as one "not" turns a sentence)."""
    score = len(STRENGTH_WORDS.findall(text)) - 1.5 * len(BARRIER_WORDS.findall(text))
    if score > 0:
        return "strength"
    if score < 0:
        return "barrier"
    return "neutral"
