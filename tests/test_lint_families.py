"""Claim families widened for generalisation (issue 37): each rule change is held by the
published sentence that motivated it and by a near honest sentence that must stay silent.
The motivating sentences come from the dev half of tests/claims_corpus/ (or are written
here in the same shape, marked so)."""

from __future__ import annotations

import pytest

from spikecontent.lint import Level, Rule, lint_text
from tests.conftest import finding_levels

# (the claim, which must be an error; its honest counterpart, which must be silent)
ERRORS_AND_COUNTERPARTS = [
    # Verbs of positive change on a condition (disease-claim) and on a body function
    # (structure-function-claim), as families.
    (
        "For Alzheimer patients, C.B.D. his one treatment option that is slowing the"
        " progression of that disease.",
        "Nobody knows what causes Alzheimer's disease.",
    ),
    (
        "Ozone increases the content of free dissolved blood oxygen, resulting in"
        " production of energy and re-establishing the normal metabolic.",
        "Ozone is a gas made of three oxygen atoms.",
    ),
    ("Our mat mitigates arthritis pain.", "Arthritis pain varies from day to day."),  # here
    ("The bracelet stabilises your hormones.", "Hormones are chemical messengers."),  # here
    # Body functions and systems the ontologies do not name.
    (
        "By massaging the tummy and associated organs, oestrogen and progesterone are"
        " stimulated while blood flow to the uterus is increased.",
        "Oestrogen and progesterone are hormones made in the ovaries.",
    ),
    (
        "REVIV IV infusion therapies deliver hydration, vitamins, and antioxidants helping to"
        " optimise vital hydration balance and maximise your wellness & efficiency.",
        "Drink water before and after a sauna to stay hydrated.",
    ),
    ("This mat supports your gut and your thyroid.", "The thyroid is a gland in the neck."),
    # Efficacy asserted outright, whatever the product is.
    ("The Good Night Anti-Snoring ring actually works!", "Ask whether the ring works for you."),
    # Evidence inflation in general terms.
    (
        "While earthing may sound like a far-out hippy practice, earthing benefits are backed"
        " by very good theory and some promising research.",
        "The current evidence needs to be confirmed by better quality research.",
    ),
    (
        "Infrared Sauna Benefits (backed by science)",
        "Infrared Sauna Benefits (and what the studies leave open)",
    ),
    # Social proof used as proof, whatever the crowd is called.
    (
        "There is a whole host of wearers out there who are convinced that it is beneficial.",
        "There is a whole host of colours to choose from.",
    ),
    (
        "Everyone knows that drinking alkalized water is important.",
        "Drinking water is important when you exercise.",
    ),
    ("Many people get relief through the use of TENS units.", "Many people use TENS units."),
]


@pytest.mark.parametrize(("claim", "honest"), ERRORS_AND_COUNTERPARTS)
def test_a_claim_of_a_widened_family_is_an_error_and_its_counterpart_silent(
    claim: str, honest: str, rules: tuple[Rule, ...]
) -> None:
    assert Level.ERROR in finding_levels(claim, rules), claim
    assert not lint_text(honest, rules), honest


def test_two_quoted_phrases_are_not_one_claim(rules: tuple[Rule, ...]) -> None:
    # "immune function" in one quotation and "supports" in the next were paired.
    honest = (
        "To work around this, many companies use softer language like \u201csupports immune"
        " function\u201d or \u201csupports brain health.\u201d"
    )
    assert not lint_text(honest, rules)
    # One quotation still holds its claim, and the publisher's quoted claim is its own.
    assert Level.ERROR in finding_levels("Our mat \u201csupports immune function\u201d.", rules)
    assert Level.ERROR in finding_levels("\u201cThe mat supports your immune system.\u201d", rules)


@pytest.mark.parametrize(
    "hedged",
    [
        "This vulnerable and very unwell group have nothing but good things to say about"
        " reflexology, with the only complaint being lack of availability of appointments.",
        "Reflexology may promote deep relaxation which may enable organs and body systems to"
        " work more efficiently.",
    ],
)
def test_a_hedged_or_third_party_claim_of_a_widened_family_is_a_warning(
    hedged: str, rules: tuple[Rule, ...]
) -> None:
    assert finding_levels(hedged, rules) == {Level.WARNING}, hedged


@pytest.mark.parametrize(
    "claim",
    [
        # Written here: a product named after a body part is the publisher's goods, as
        # "our mat" is ("our feet", "our skin" are everyone's). These were a warning,
        # silence, and a warning before the notions of "ours" were made one.
        "Physiotherapists say our sleep mat relieves back pain.",
        "Reflexologists believe our foot pads cure arthritis.",
        "Physiotherapists say our skin cream relieves eczema.",
        # Held before, and kept: "and our ... do" ties the product in.
        "Reflexologists believe foot pads cure arthritis, and our foot pads do.",
    ],
)
def test_hearsay_about_a_product_named_after_a_body_part_is_the_publishers(
    claim: str, rules: tuple[Rule, ...]
) -> None:
    assert Level.ERROR in finding_levels(claim, rules), claim


def test_our_own_body_parts_are_still_not_the_publishers_goods(rules: tuple[Rule, ...]) -> None:
    assert finding_levels(
        "Physiotherapists say our backs need rest to relieve back pain.", rules
    ) == {Level.WARNING}


# Written here, in the shapes regulators' guidance lists (the FTC's Health Products
# Compliance Guidance and weight-loss gut check, the CAP Code's efficacy sections), not
# copied from a corpus sentence: the families, each with a near honest sentence.
GUIDANCE_FAMILIES = [
    ("Prevents colds and flu.", "Flu season runs from October to March."),
    ("Supports healthy blood sugar levels.", "Blood sugar levels vary through the day."),
    ("Revitalises your whole body.", "Lie on the mat with your whole body relaxed."),
    ("Cleanses your system.", "Clean the mat with a damp cloth."),
    ("Calms your nervous system.", "The nervous system carries signals."),
    ("Fixes bad posture in weeks.", "We fix a faulty zip free of charge."),
    ("Realigns your spine.", "Align the mat with the edge of your bed."),
    ("Gives you your life back.", "Gives you a place to lie down."),
    ("Works better than ibuprofen.", "Ask a pharmacist before you take ibuprofen."),
    ("Fast acting relief.", "Fast delivery."),
    ("You will feel the difference after the first use.", "You will feel the spikes at first."),
    ("Firms and lifts the skin.", "The spikes press on the skin."),
    ("Reduces wrinkles and fine lines.", "Wrinkles in the fabric flatten out."),
    ("Regrows hair in 90 days.", "Keep long hair off the mat."),
    ("Shrinks your waistline.", "Measure your waistline to choose a belt size."),
    ("Science-backed relief.", "The mat has a foam back."),
    ("Our results are proven.", "Our results page lists every study."),
    ("Our customers swear by it.", "Our customers can return it within 30 days."),
    ("Our mat is proven in clinical trials.", "Two clinical trials are under way."),
    ("NASA technology.", "NASA studies astronauts' sleep."),
    ("Results last for months.", "The mat lasts for years."),
    ("Results from the very first session.", "A few people give up after the first session."),
    (
        "I haven't had a migraine since I started using it.",
        "I haven't used it since I moved house.",
    ),
    ("After years of suffering, I finally found relief.", "I finally found the receipt."),
    ("I threw away my painkillers.", "I threw away the box."),
    ("I no longer need my inhaler.", "I no longer need the box."),
    ("Cheaper than a massage therapist and just as effective.", "Cheaper than a massage."),
    ("Boosts resistance to infection.", "The fabric has good resistance to wear."),
    ("Clinically safe.", "Few remedies are known to be safe during pregnancy."),
    ("The natural answer to back pain.", "The answer to your question is in the FAQ."),
    # From the dev half: conditions in general and benefits in general.
    (
        "Subjecting certain parts of the body to magnetostatic fields produced by permanent"
        " neodymium magnets has beneficial health effects.",
        "Magnets are made of neodymium.",
    ),
    ("Our mat relieves a host of health issues.", "Tell your doctor about any health issues."),
    (
        "Fenugreek - Amazingly powerful and totally natural male hormone booster.",
        "Fenugreek is a herb used in cooking.",
    ),
    (
        "The Earth also stores natural rhythms- day/night, and reconnection supports sleep.",
        "The Earth turns once a day.",
    ),
    (
        "Sine waves are the most researched and proven wave form followed by the square wave.",
        "Sine waves and square waves are two wave forms.",
    ),
    ("Facilitates joint repair & recover", "Joint repair surgery needs a surgeon."),
    (
        "help[s] maintain healthy A1c blood sugar levels in diabetics and prediabetics",
        "Blood sugar levels are measured as A1c.",
    ),
    ("Our mat has anti-ageing effects.", "Anti-ageing creams are sold everywhere."),
    ("With our mat, your cortisol levels are stabilised.", "Cortisol levels vary through the day."),
    # Endorsement and replacement in the shapes the CAP Code and the FTC list.
    ("Endorsed by the British Chiropractic Association.", "The Association meets in May."),
    ("Recommended by the Arthritis Foundation.", "The Arthritis Foundation funds research."),
    ("Doctor-formulated for joint pain.", "Ask a doctor about joint pain."),
    ("Pharmacist approved.", "Ask a pharmacist before taking painkillers."),
    ("Used in NHS hospitals.", "NHS hospitals have waiting lists."),
    ("Our mat uses the same technology as hospitals.", "Hospitals use many technologies."),
    ("Officially recognised as a medical treatment.", "Officially, the shop opens at nine."),
    ("Scientifically formulated.", "Scientists formulated a question."),
    ("9 out of 10 customers saw results.", "9 out of 10 orders arrive the next day."),
    ("Cancel your chiropractor appointments.", "Cancel your order within 14 days."),
    ("A natural alternative to HRT.", "A natural rubber mat."),
    ("No need for sleeping tablets.", "No need for batteries."),
    ("Avoid knee replacement surgery.", "Avoid lying on the mat straight after a meal."),
    # Cure idioms as a family.
    ("Nips headaches in the bud.", "Nip out to the shop."),
    ("Zaps pain away.", "The device zaps flies."),
    ("Chases away aches and pains.", "The dog chases away birds."),
    ("Sends back pain packing.", "We send orders packed in paper."),
    ("Tames the agony of sciatica.", "The book tames the jargon."),
    ("Switches off nerve pain.", "Switch off the heat pad after use."),
    ("Shuts down inflammation.", "The shop shuts down for the holidays."),
    ("Frees you from migraines.", "Frees up space under the bed."),
    ("Your arthritis will be a distant memory.", "The old design is a distant memory."),
    ("Guards against osteoporosis.", "A cover guards against dust."),
    ("Keeps illness away.", "Keep the mat away from pets."),
    # A customer's story of change, whatever the condition is called.
    ("I was skeptical, but it really works.", "I was skeptical, but I bought it anyway."),
    ("It worked when nothing else did.", "It arrived when nothing else did."),
    (
        "I slept through the night for the first time in years.",
        "I visited Paris for the first time in years.",
    ),
    ("My energy levels have gone through the roof.", "Prices have gone up."),
    ("I feel ten years younger.", "I am ten years older than my sister."),
    # The product offered as the answer, in other words.
    ("This mat is the natural way to deal with sciatica.", "This mat is the natural choice."),
    ("The mat helps people with arthritis.", "Support groups help people with arthritis cope."),
    ("This bracelet is your weapon against arthritis.", "Arthritis affects the joints."),
    (
        "Our insoles give relief to people with plantar fasciitis.",
        "Our insoles come in five sizes.",
    ),
    ("Our mat addresses the root cause of back pain.", "Back pain has many causes."),
    ("It's the perfect companion for arthritis.", "It's the perfect companion for a nap."),
    ("The mat is a must-have for back pain.", "The mat is a must-have gift."),
]


@pytest.mark.parametrize(("claim", "honest"), GUIDANCE_FAMILIES)
def test_a_guidance_family_claim_is_an_error_and_its_counterpart_silent(
    claim: str, honest: str, rules: tuple[Rule, ...]
) -> None:
    assert Level.ERROR in finding_levels(claim, rules), claim
    assert not lint_text(honest, rules), honest


@pytest.mark.parametrize(
    "honest",
    [
        # From the dev half: others' belief, and a question still in dispute.
        "While some people swear by these blankets, concrete evidence is unfortunately lacking.",
        "Whether magnets relieve pain remains highly controversial.",
    ],
)
def test_others_belief_and_a_disputed_effect_are_no_finding(
    honest: str, rules: tuple[Rule, ...]
) -> None:
    assert not lint_text(honest, rules), honest


@pytest.mark.parametrize(
    "claim",
    [
        # From the dev half: energy-medicine balance and a safety record said in the
        # negative, each at least a warning.
        "The Balance Bracelet returns the body to its natural ionic balance.",
        "Side effects have not been known so far even if TENS units are used over a long"
        " period of time.",
    ],
)
def test_balance_restored_and_side_effects_never_known_get_a_finding(
    claim: str, rules: tuple[Rule, ...]
) -> None:
    assert lint_text(claim, rules), claim


def test_permission_or_a_promise_to_stop_care_is_no_caution(rules: tuple[Rule, ...]) -> None:
    # Written here: "stop taking" and "never take" read as cautions and silenced these.
    for claim in ("You can stop taking your medication.", "Never take another painkiller."):
        assert Level.ERROR in finding_levels(claim, rules), claim
    for caution in (
        "Do not stop taking your medication.",
        "Do not stop taking prescribed medicine without talking to your doctor.",
        "Never use the mat during pregnancy.",
    ):
        assert not lint_text(caution, rules), caution


@pytest.mark.parametrize(
    ("story", "honest"),
    [
        # Written here: the modal ("could", "can't") reads as a hedge, so a warning.
        ("After two weeks I could walk without a cane.", "After two weeks I could walk to work."),
        ("I can't believe the difference it has made.", "I can't believe how soft the cover is."),
    ],
)
def test_a_story_told_with_a_modal_gets_a_finding(
    story: str, honest: str, rules: tuple[Rule, ...]
) -> None:
    assert lint_text(story, rules), story
    assert not lint_text(honest, rules), honest


def test_a_safety_claim_that_denies_a_caution_is_not_a_caution(rules: tuple[Rule, ...]) -> None:
    # From the fresh product-copy batch (read after it was measured): the caution word
    # inside "no contraindications" silenced the safety claim.
    claim = "There are no contraindications regarding the length of use of these mats."
    assert Level.ERROR in finding_levels(claim, rules)
    for caution in (
        "Do not use the mat if you have contraindications such as a pacemaker.",
        "There are known contraindications: pregnancy and epilepsy.",
    ):
        assert not lint_text(caution, rules), caution


def test_a_percentage_set_off_by_a_dash_is_a_result_claim(rules: tuple[Rule, ...]) -> None:
    # From the same batch: "85% -- less knee pain".
    assert Level.ERROR in finding_levels("85% -- less knee pain", rules)
    assert not lint_text("85% -- cotton, 15% -- linen", rules)
