"""An independent review of the claim-status and family work of 2026-12-07 (issue 37)
wrote these sentences as a seller, or as an honest editor, would write them, and probed
the lint with them. Each loophole below was an error at 89d324a and published silently
(or as a warning) after that work; each honest sentence had no error there and was
blocked after it. The cues that opened the loopholes were taken back, the families that
blocked the honest ones narrowed; these tests keep both closed. Written here, so they
count in no quality figure."""

from __future__ import annotations

import pytest

from spikecontent.lint import Level, Rule
from tests.conftest import finding_levels

# A seller's claim dressed as a quotation, a reassurance, a list of care options, care
# as its foil, others' stories or an association: an error, as it was before.
SELLERS_CLAIMS = [
    'Our mat cures "chronic" sciatica.',
    'Our mat relieves "stubborn" back pain.',
    'Our mat "cures" "sciatica".',
    'Our mat eases "everyday" back pain and "nagging" sciatica.',
    'The "SpikeRest" mat relieves "all" back pain.',
    "Our mat cures sciatica, which is not controversial.",
    "Our mat cures sciatica and remains controversial with drug companies.",
    "Spike mats cure sciatica, and this is not disputed.",
    "Our mat doesn't do anything to your floor, and it cures sciatica.",
    "Acupressure mats don't do a thing to harm you, and they cure sciatica.",
    "Drugs don't do a thing to cure arthritis; spike mats reverse arthritis.",
    "Treatments that cure sciatica include acupressure mats.",
    "The best treatments to cure sciatica include acupressure mats and magnet bracelets.",
    "Treatment for sciatica includes SpikeRest.",
    "Treatments that eliminate back pain for good include SpikeRest and spike mats.",
    "Options that relieve back pain fast include spike mats.",
    "Therapies that reverse arthritis include magnet bracelets.",
    "Medicines such as SpikeRest cure sciatica.",
    "Drugs like SpikeRest reverse arthritis.",
    "Painkillers like magnets cure arthritis.",
    "Medicines like homeopathy cure asthma.",
    "Exercise like acupressure improves blood flow.",
    "Physical activity such as acupressure relieves back pain.",
    "Medicines such as acupressure and reflexology cure insomnia.",
    "Exercise such as yoga or acupressure reverses arthritis.",
    "Physiotherapy like acupressure relieves back pain.",
    "Surgery like acupuncture cures back pain.",
    "A healthy diet such as keto reverses type 2 diabetes.",
    "Physiotherapy relieves back pain, and acupressure mats do it faster.",
    "Physiotherapy relieves back pain; acupressure mats cure it.",
    "Painkillers help relieve back pain, alongside acupressure mats.",
    "Physiotherapy treats sciatica, plus acupressure mats.",
    "Physiotherapy cures sciatica in days, and spike mats are physiotherapy at home.",
    "Medication is the best way to cure insomnia, and acupressure mats are the best medication.",
    "Painkillers relieve back pain. So do spike mats.",
    "Physiotherapy cures sciatica. So does SpikeRest.",
    "Physiotherapy cures back pain. Our mat is physiotherapy you can lie on.",
    "Spike mats relieve the back pain doctors can't treat.",
    "Spike mats cure the sciatica specialists gave up on.",
    "Magnet bracelets heal the arthritis doctors call incurable.",
    "The back pain doctors can't fix melts away on a spike mat.",
    "Acupressure mats are a cancer treatment.",
    "SpikeRest is the sciatica treatment that works.",
    "Acupressure mats are the best arthritis treatment.",
    "Spike mats make your diabetes treatment unnecessary.",
    "Acupressure mats speed up your cancer treatment.",
    "Customers tell stories of how acupressure mats ended their back pain.",
    "See the testimonials about how SpikeRest cured their sciatica.",
    "Read the reviews about how spike mats cured their sciatica.",
    "Customers tell stories of how this simple mat ended their back pain.",
    "Countless testimonials of how SpikeRest reversed arthritis pour in every week.",
    "Read 5,000 reviews about how it eliminated back pain for good.",
    "The goal of therapy is to eliminate migraines permanently.",
    "The purpose of therapy is to reverse arthritis.",
    "The aim of therapy is to cure arthritis, which spike mats do.",
    "SpikeRest is associated with curing migraines.",
    "Acupressure mats are associated with reversing arthritis.",
    "Acupressure is linked with curing insomnia.",
    "Spike mats are associated with lasting relief from sciatica.",
    "Lying on a spike mat daily is strongly associated with the end of chronic back pain.",
    "Acupressure mat use was associated with a complete cure of sciatica in our customers.",
    "The mat is associated with curing migraines.",
    "The manufacturer advertised that spike mats cure sciatica.",
    "The firm promoted acupressure mats as curing migraines.",
    "Physiotherapy cures sciatica.",
    "Medication cures cancer.",
    "Vaccines cure autism.",
    "Exercise cures depression.",
]

# Warnings before the work (a report naming no study, an ad quoted): at least a warning.
SELLERS_REPORTS = [
    "Acupressure mats can replace cancer treatment.",
    "As the label says, SpikeRest cures sciatica.",
    "Its label says it cures sciatica.",
    "The ad says SpikeRest cures migraines.",
    "As the ad says, acupressure mats cure migraines.",
]

# Instructions, cautions and health agencies' advice: no error (and no finding, as before).
HONEST = [
    "Put away your tablets and phones an hour before bed.",
    "To cancel your appointment, call the clinic.",
    "You can cancel your fitting appointment at any time.",
    "Fibromyalgia is officially recognised as a long-term condition.",
    "In our survey, 3 out of 10 customers said the spikes felt too sharp at first.",
    "You will need to stop taking ibuprofen if you have a stomach ulcer.",
    "Your GP may tell you when it is safe to stop taking your painkillers.",
    "Cover up in the sun to avoid getting sunburn.",
    "Wash your hands often to avoid catching flu.",
    "Codeine is stronger than paracetamol, but it can be addictive.",
    "Naproxen works faster than aspirin for some people.",
    "Fast-acting painkillers can upset your stomach.",
    "Lift the skin gently to check for redness.",
    "For science-backed advice on back pain, see the NHS website.",
    "Most sprains heal themselves within a few weeks.",
    "Minor cuts usually heal naturally.",
    "Smoking slows the body's ability to heal.",
    "The liver and kidneys cleanse the blood on their own, so no detox product is needed.",
    "People with diabetes manage their blood sugar with insulin, diet and exercise.",
    "Ask your GP how to manage your blood pressure.",
    "Eat less salt to maintain healthy blood pressure.",
    "Your kidneys remove waste from the body through urine.",
    "Start with five minutes in your very first session.",
    "On the very first night, use the mat for five minutes only.",
    "The honest answer to whether it helps sciatica is that nobody knows.",
    "Here are answers to your questions about back pain.",
    "You will feel the difference between the soft and the firm side.",
    "You will notice a slight change in colour after the first wash.",
    "Everyone knows the feeling of a stiff neck after a long drive.",
    "Undo the straps if you feel numbness or tingling.",
]

# Honest, with a warning before the work too: still no error.
HONEST_WARNED = [
    "Our cotton is certified by the Soil Association.",
]


@pytest.mark.xfail(
    strict=True,
    reason="'calm' on a body function stays a structure-function claim: 'calms your nervous"
    " system' is the commonest claim for these mats, and the rule cannot yet tell the"
    " seller's mat from the reader's own breathing",
)
def test_advice_to_calm_the_nervous_system_is_silent(rules: tuple[Rule, ...]) -> None:
    assert finding_levels("Try to calm your nervous system with slow breathing.", rules) == set()


@pytest.mark.parametrize(
    ("claim", "honest"),
    [
        (
            "Spike mats don't do anything except cure back pain.",
            "The mat does not cure anything other than boredom.",
        ),
        (
            "Our mat does nothing except cure back pain.",
            "There is no evidence it helps, other than a small pilot study.",
        ),
        (
            "Our mat does nothing other than to relieve back pain.",
            "Nothing except time cures a sprained ankle.",
        ),
        (
            "Spike mats don't do anything except cure back pain.",
            "Nothing besides gentle movement really eases a stiff back.",
        ),
    ],
)
def test_what_a_denial_excepts_is_asserted(
    claim: str, honest: str, rules: tuple[Rule, ...]
) -> None:
    assert Level.ERROR in finding_levels(claim, rules), claim
    assert finding_levels(honest, rules) == set(), honest


# A second review, of the fixes above: neighbouring wording of each fix, as a seller and
# as an honest editor would write it (quotes around two words or around the verb and the
# object, controversy said of the publisher's claim, organs that "filter" beside a detox
# word, offers with a percentage, household safety, NHS appointments).
SELLERS_CLAIMS_SECOND_REVIEW = [
    "Our mat cures “chronic” and “stubborn” sciatica.",
    'Our mat cures "chronic" and "stubborn" sciatica.',
    "Our mat “relieves” your “back pain”.",
    "Our mat “cures” stubborn “sciatica”.",
    "Our mat “eases” all “arthritis”.",
    "Our “SpikeRest” mat “cures” even “sciatica”.",
    "SpikeRest “relieves” your “back pain” \u2013 guaranteed.",
    'Our mat relieves "lower" and "upper" back pain.',
    'Our mat relieves "stubborn" or "chronic" back pain.',
    "Our mat eases “everyday” and “nagging” back pain.",
    'Our mat cures "chronic" sciatica.',
    'Our mat "relieves" your "back pain".',
    'Our mat "cures" "sciatica".',
    "Our mat cures sciatica, which is hardly controversial.",
    "Our mat cures sciatica, and that is rarely disputed.",
    "Our mat cures sciatica, a fact that is disputed by no one.",
    "Our mat cures sciatica, and this is contested by nobody.",
    "Our mat cures sciatica, which is controversial only among drug companies.",
    "Our mat cures sciatica, which remains controversial to Big Pharma.",
    "Our mat cures sciatica, which is not controversial.",
    "Spike mats cure sciatica, and this is not disputed.",
    "Our foot pads help your kidneys filter out heavy metals.",
    "Our foot pads help your kidneys filter heavy metals out of your body.",
    "Our foot pads help the liver remove heavy metals from your body.",
    "Our mat helps your lungs filter out impurities.",
    "Our tea helps your liver flush out toxins.",
    "100 out of 100 testers felt less back pain.",
    "Cancel your chiropractor appointments.",
    "Our mat means you no longer need tablets for back pain.",
    "I walked without my cane for the first time in years.",
    "Our mat cures sciatica, which is controversial.",
    "Magnets cure arthritis, which is disputed by no one.",
]

HONEST_SECOND_REVIEW = [
    "If you cannot attend, please cancel your hospital appointment so someone else can have it.",
    "Put away your medicines safely, out of the reach of children.",
    "You no longer need a prescription for some hay fever tablets.",
    "Dialysis removes waste from the blood when the kidneys stop working.",
    "If you are running for the first time in years, start slowly and build up.",
    "Most people walk without crutches within six weeks of a knee replacement.",
    "Demand has gone through the roof this winter, so delivery may take up to ten days.",
    "Reviewers have nothing but good things to say about our packaging.",
    "If you have insomnia, turn off screens an hour before bed and keep the room dark.",
    "Small grazes will heal naturally if you keep them clean.",
    "Let the skin heal naturally before you use the mat again.",
    "Spring sale: 25% \u2013 less than the price of one massage.",
    "The liver and kidneys cleanse the blood on their own, so no detox product is needed.",
    "Your kidneys remove waste from the body through urine.",
    "Codeine is stronger than paracetamol, but it can be addictive.",
    "Whether magnets relieve pain remains highly controversial.",
    "Most people walk without crutches within six weeks of a knee replacement.",
]


# A third review, of the second round of fixes: controversy after a plain assertion, a
# headline's question and answer in quotations, and honest wording the taken-back tokens
# had blocked.
SELLERS_CLAIMS_THIRD_REVIEW = [
    "Whether you are tired or sore, our mat relieves back pain, which is hotly debated.",
    "Whether you are tired or sore, spike mats cure sciatica, which remains controversial.",
    "Acupressure mats cure sciatica, which remains controversial.",
    "SpikeRest cures sciatica, which remains controversial.",
    "Spike mats cure sciatica, which is contested.",
    "Spike mats lower blood pressure, which some say is controversial.",
    "\u201cChronic back pain?\u201d \u201cOur mat relieves it in minutes.\u201d",
    "\u201cSciatica flaring up?\u201d \u201cSpikeRest eases it fast.\u201d",
    "\u201cInsomnia and anxiety\u201d \u2013 \u201cour mat ends both\u201d.",
    "\u201cHigh blood pressure\u201d \u2013 \u201clowered naturally\u201d with SpikeRest.",
]

HONEST_THIRD_REVIEW = [
    "Your liver cleanses your blood around the clock.",
    "Your liver and kidneys already cleanse your blood, so no mat or tea is needed.",
    "A mat is not stronger than medicine.",
    "Do not expect the mat to work faster than painkillers.",
    "Please don't put away your pills.",
    "Customers have nothing but good things to say about the cotton cover.",
    "Customers have nothing but good things to say about the price.",
    "Save 15% \u2013 less stress at checkout.",
]


@pytest.mark.parametrize(
    "text", [*SELLERS_CLAIMS, *SELLERS_CLAIMS_SECOND_REVIEW, *SELLERS_CLAIMS_THIRD_REVIEW]
)
def test_a_sellers_claim_a_review_found_is_an_error(text: str, rules: tuple[Rule, ...]) -> None:
    assert Level.ERROR in finding_levels(text, rules), text


@pytest.mark.parametrize("text", SELLERS_REPORTS)
def test_a_sellers_report_a_review_found_is_a_finding(text: str, rules: tuple[Rule, ...]) -> None:
    assert finding_levels(text, rules), text


@pytest.mark.parametrize("text", [*HONEST, *HONEST_THIRD_REVIEW])
def test_honest_writing_a_review_found_is_silent(text: str, rules: tuple[Rule, ...]) -> None:
    assert finding_levels(text, rules) == set(), text


@pytest.mark.parametrize("text", [*HONEST_WARNED, *HONEST_SECOND_REVIEW])
def test_honest_writing_a_review_found_is_no_error(text: str, rules: tuple[Rule, ...]) -> None:
    assert Level.ERROR not in finding_levels(text, rules), text
