"""A claim's status decides its finding: asserted, hedged, reported, denied, cautioned
(issue 37, items 1 and 4). The sentences are the issue's examples of published writing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.lint import Level, Rule, lint_text


def levels(text: str, rules: tuple[Rule, ...]) -> list[tuple[str, str]]:
    return [(f.level.value, f.status) for f in lint_text(text, rules)]


@pytest.mark.parametrize(
    "text",
    [
        "This mat relieves back pain.",
        "Our mat cures sciatica and migraines.",
        "The mat does not cure anything, but it relieves back pain.",
    ],
)
def test_an_asserted_claim_is_an_error(text: str, rules: tuple[Rule, ...]) -> None:
    assert ("error", "asserted") in levels(text, rules)


@pytest.mark.parametrize(
    "text",
    ["Acupressure mats may relieve minor back pain.", "It might ease neck pain for some people."],
)
def test_a_hedged_claim_asks_for_its_study(text: str, rules: tuple[Rule, ...]) -> None:
    assert levels(text, rules) == [("warning", "hedged")]


def test_a_hedged_claim_that_names_its_study_is_no_finding(rules: tuple[Rule, ...]) -> None:
    text = "In a 2012 pilot study of 42 people, the pad may have eased neck pain."
    assert levels(text, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "A 2011 study of 72 students found that acupressure helped reduce menstrual pain.",
        "Neither CAP nor the ASA have seen evidence that foot patches can remove toxins.",
        "The ASA ruled that the ad's claim to relieve sciatica was misleading.",
    ],
)
def test_a_claim_reported_from_a_named_study_or_a_regulator_is_no_finding(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == []


def test_a_general_appeal_to_research_asks_for_the_study(rules: tuple[Rule, ...]) -> None:
    found = levels("Researchers have suggested that acupressure relieves back pain.", rules)
    assert found == [("warning", "reported")]


@pytest.mark.parametrize(
    "text",
    [
        "Copper bracelets are generally ineffective for managing pain.",
        "There is little, if any, evidence that magnets will alleviate back pain.",
        "It was uncertain if acupressure reduced pain intensity compared with sham.",
        "Acupuncture was no better than sham acupuncture for low back pain.",
    ],
)
def test_a_denied_or_uncertain_claim_is_no_finding(text: str, rules: tuple[Rule, ...]) -> None:
    assert levels(text, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "Do not use a TENS device if you have a pacemaker or suffer from thrombosis or epilepsy.",
        "Talk to your doctor before using a mat if you have diabetes or take blood thinners.",
    ],
)
def test_a_caution_that_names_a_condition_is_no_finding(text: str, rules: tuple[Rule, ...]) -> None:
    assert levels(text, rules) == []


def test_a_customer_story_quoted_by_the_seller_stays_the_sellers_claim(
    rules: tuple[Rule, ...],
) -> None:
    assert ("error", "asserted") in levels('Customers say: "It cured my sciatica!"', rules)


def test_one_claim_is_one_finding_spanning_it(rules: tuple[Rule, ...]) -> None:
    text = "This mat cures back pain and helps sciatica."
    [finding] = lint_text(text, rules)
    assert finding.excerpt == "cures back pain and helps sciatica"
    assert finding.level is Level.ERROR
    assert (finding.status, finding.form) == ("asserted", "effect")


def test_the_json_output_says_why_a_finding_fired() -> None:
    result = CliRunner().invoke(
        app, ["lint", "-", "--format", "json"], input="The mat may relieve back pain.\n"
    )
    [finding] = json.loads(result.stdout)
    assert (finding["level"], finding["status"], finding["form"]) == ("warning", "hedged", "effect")


@pytest.mark.parametrize(
    "text",
    [
        "The company claimed that its bracelet relieves arthritis pain.",
        "The bracelets were falsely promoted as a cure for arthritis.",
        "The Agency states that the products treat arthritis.",
        "The Osteoarthritis Research Society International advises against glucosamine for"
        " arthritis pain.",
    ],
)
def test_a_claim_reported_at_a_distance_or_by_a_named_body_is_no_finding(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == []


def test_the_publishers_own_claim_stays_asserted(rules: tuple[Rule, ...]) -> None:
    assert levels("We claim that our mat relieves back pain.", rules) == [("error", "asserted")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acupressure can help relieve back pain.", [("warning", "hedged")]),
        ("She believes the bracelet has eased her arthritis.", [("warning", "reported")]),
        ("Both groups reported less back pain after eight weeks.", []),
    ],
)
def test_capability_hedges_and_retold_beliefs_are_not_errors(
    text: str, expected: list[tuple[str, str]], rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == expected


def test_a_weak_immune_system_is_a_condition_not_a_claim(rules: tuple[Rule, ...]) -> None:
    assert levels("People with a compromised immune system should not use it.", rules) == []
    assert levels("Our mat boosts immunity.", rules) == [("error", "asserted")]


def test_a_question_asks_rather_than_claims(rules: tuple[Rule, ...]) -> None:
    assert levels("Does the mat relieve back pain?", rules) == [("warning", "hedged")]


@pytest.mark.parametrize(
    "text",
    [
        "Uncertainty about whether TENS can alleviate pain spans half a century.",
        "There are numerous alleged health benefits of saunas.",
        "Local dieticians scoffed at the claim that the wraps help you lose weight.",
    ],
)
def test_uncertainty_nouns_alleged_benefits_and_critics_are_no_finding(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == []


def test_the_trial_a_text_names_is_not_research_in_general(rules: tuple[Rule, ...]) -> None:
    assert levels("The trial found that the mat reduced back pain.", rules) == []
    assert ("warning", "reported") in levels("Studies show that the mat reduces back pain.", rules)


def test_an_ellipsis_in_a_quotation_does_not_end_the_claim(rules: tuple[Rule, ...]) -> None:
    found = lint_text("Ylang Ylang is used for the treatment of… insomnia and tachycardia.", rules)
    assert [f.rule for f in found] == ["disease-claim"]


# Loopholes an independent review found in the cues above (a seller's sentence passing with
# no finding, or with a warning where the code before them gave an error).
@pytest.mark.parametrize(
    "text",
    [
        # A made-up organisation, or a word read as an acronym ("who", "nice"), is no body.
        "The SpikeMat Wellness Institute recommends our mat to cure sciatica.",
        "Bright Spine Clinic found that our mat cures arthritis.",
        "Our Wellness Center recommends it: this mat cures back pain.",
        "The Spinal Wellness Institute says this mat cures back pain.",
        "Customers who tried it found our mat cures arthritis.",
        "Nice and firm, our mat is built to last and found to cure arthritis.",
        # The publisher selling in its own voice, or critics it brushes aside.
        "Sold to relieve arthritis pain.",
        "Also sold as a cure for arthritis.",
        "Our mat is marketed to relieve arthritis pain.",
        "Our mats are marketed to relieve arthritis pain.",
        "It is sold to relieve arthritis pain.",
        "This mat promises to cure arthritis.",
        "Our mat claims to cure arthritis.",
        "It claims to cure arthritis.",
        "Our mat, which critics dismissed, cures arthritis.",
        "Forget what you were wrongly told: this mat cures arthritis.",
        "It reverses diabetes, the paper says.",
        # A population narrows a claim; it does not report it.
        "Our mat cures arthritis in women who sit all day.",
        "This mat reverses diabetes in patients with neuropathy.",
        # "Can cure" claims the cure.
        "This mat can cure back pain.",
        "This mat often cures back pain.",
        "This mat usually cures sciatica.",
        "It can cure arthritis and reverse diabetes.",
        # Questions that sell rather than ask.
        "Did you know our mat cures arthritis?",
        "Want to reverse diabetes? Try our mat.",
        "Who else wants to cure arthritis? Our mat does.",
    ],
)
def test_loopholes_the_review_found_are_errors(text: str, rules: tuple[Rule, ...]) -> None:
    assert ("error", "asserted") in levels(text, rules)


@pytest.mark.parametrize(
    "text",
    [
        "This FDA-cleared TENS unit cures arthritis.",
        "Our mat is FDA-cleared to cure back pain.",
        "The FDA approved it, and this mat cures back pain.",
    ],
)
def test_a_regulators_approval_does_not_report_the_disease_claim(
    text: str, rules: tuple[Rule, ...]
) -> None:
    found = [(f.rule, f.level) for f in lint_text(text, rules)]
    assert ("regulatory-claim", Level.ERROR) in found
    assert ("disease-claim", Level.ERROR) in found


@pytest.mark.parametrize(
    "text",
    [
        "The FTC found that the bracelets did not relieve arthritis pain, and the company settled.",
        "The NHS says there is no evidence that magnets relieve back pain.",
        "Critics dismissed the claim that the mat cures sciatica.",
        "The bracelets were marketed as a cure for arthritis.",
        "Acupuncture reduced back pain, a 2012 trial of 640 people found.",
    ],
)
def test_real_bodies_critics_and_named_studies_still_report(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == []


@pytest.mark.parametrize(
    "text",
    ["Can acupressure help relieve back pain?", "But does the mat cure sciatica?"],
)
def test_a_genuine_question_is_at_most_a_warning(text: str, rules: tuple[Rule, ...]) -> None:
    assert all(level == "warning" for level, _ in levels(text, rules))


@pytest.mark.parametrize(
    "text",
    [
        "The WHO says our mat cures arthritis.",
        "Research suggests our mat relieves back pain.",
    ],
)
def test_an_authoritys_report_on_the_publishers_own_product_still_asks_for_its_study(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == [("warning", "reported")]


@pytest.mark.parametrize(
    "text",
    [
        "Our mat is said to cure arthritis.",
        "Reportedly, our mat cures arthritis.",
        "Many people say our mat cures arthritis.",
        "Physiotherapists say our mat relieves back pain.",
        "Reflexologists believe our mat cures arthritis.",
        "Our mat is considered safe and cures migraines.",
        "Our mat is considered safe, and it cures migraines.",
    ],
)
def test_hearsay_about_the_publishers_own_product_is_its_own_claim(
    text: str, rules: tuple[Rule, ...]
) -> None:
    # Written for this test. An advertiser's endorsements are its own claims (the FTC's
    # Endorsement Guides): only a listed authority or research keeps it a report.
    assert ("error", "reported") in levels(text, rules)


def test_our_bodies_are_not_the_publishers_goods(rules: tuple[Rule, ...]) -> None:
    # Written for this test: "our" of everyone's body is no product of the publisher's.
    assert levels(
        "Researchers say melatonin affects our internal clock and relieves insomnia.", rules
    ) in (
        [],
        [("warning", "reported")],
    )


def test_a_caution_is_a_harm_one_is_prone_to_not_a_cure(rules: tuple[Rule, ...]) -> None:
    # Written for this test: "more prone to" cautions of a harm, never of an effect.
    assert levels("People with neuropathy are more prone to injury.", rules) == []
    assert ("error", "asserted") in levels(
        "Our mat is more prone to cure back pain than pills.", rules
    )


def test_an_organisation_that_is_no_regulator_endorses_rather_than_reports(
    rules: tuple[Rule, ...],
) -> None:
    endorsed = "According to the Spine Health Institute, our mat cures arthritis."
    assert levels(endorsed, rules) == [("error", "asserted")]
    assert levels("According to the Cleveland Clinic, acupuncture relieves back pain.", rules) == []


# Stop 40's structural fixes. The sentences below were written for these tests (they prove
# behaviour, not quality); each fixes a kind of honest sentence the wellness batch
# (tests/claims_corpus/published/honest-wellness.yaml) showed blocked by an error.


def test_a_rule_that_reads_no_denial_still_honours_attribution(rules: tuple[Rule, ...]) -> None:
    # "Claimed" is a denial cue, which discourages-medical-care ignores ("no need for
    # painkillers" is its claim); the claim is still someone else's, reported at a distance.
    assert (
        levels("The company claimed that its sleeves were more effective than drugs.", rules) == []
    )
    assert ("error", "asserted") in levels("Our sleeves are more effective than drugs.", rules)


def test_a_trades_belief_retold_is_theirs(rules: tuple[Rule, ...]) -> None:
    believed = "Reflexologists believe that pressing the feet stimulates the organs of the body."
    assert levels(believed, rules) == []
    # A trade speaking for a product is an appeal to others: it asks for the study.
    assert levels("Physiotherapists say this mat relieves back pain.", rules) == [
        ("warning", "reported")
    ]


def test_a_counterfactual_condition_denies_the_claim(rules: tuple[Rule, ...]) -> None:
    supposed = "That would be an easy fix, if it were actually proven to relieve back pain."
    assert levels(supposed, rules) == []
    # "What if there was ..." is a sales question, not a supposition.
    asked = "What if there was a safe, affordable and effective form of pain relief?"
    assert ("error", "asserted") in levels(asked, rules)


def test_a_passive_assessment_is_reported(rules: tuple[Rule, ...]) -> None:
    considered = "It is considered safe for people with cancer to use the mat."
    assert levels(considered, rules) == [("warning", "reported")]


def test_a_regulator_approving_a_class_of_devices_reports_what_it_allows(
    rules: tuple[Rule, ...],
) -> None:
    assert (
        levels("The FDA has approved some devices for bone healing and pain relief.", rules) == []
    )
    assert ("error", "asserted") in levels(
        "The FDA has approved our mat for back pain relief.", rules
    )


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # The editing guide's examples: an approval or endorsement of your own product,
        # named with no condition, is still your claim.
        ("The FDA has approved our mat for back pain.", "regulatory-claim"),
        ("The FDA has cleared our mat.", "regulatory-claim"),
        ("The X Wellness Institute recommends it.", "establishment-claim"),
        ("The X Wellness Institute recommends our mat for back pain.", "establishment-claim"),
    ],
)
def test_an_approval_or_endorsement_of_your_own_product_is_an_error(
    text: str, rule: str, rules: tuple[Rule, ...]
) -> None:
    assert ("error", rule) in [(f.level.value, f.rule) for f in lint_text(text, rules)]


@pytest.mark.parametrize(
    "text",
    [
        "The FDA has not approved our mat.",
        "The American College of Physicians recommends exercise for low back pain.",
        "No medical association recommends it.",
    ],
)
def test_a_denied_approval_or_a_body_recommending_something_else_is_no_error(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert "error" not in [f.level.value for f in lint_text(text, rules)]


def test_goods_marketed_by_others_are_reported(rules: tuple[Rule, ...]) -> None:
    others = "Ionic foot baths are pseudoscientific devices marketed as able to remove toxins."
    assert levels(others, rules) == []
    own = "Our foot baths are devices marketed as able to remove toxins from the body."
    assert ("error", "asserted") in levels(own, rules)


def test_a_use_that_is_not_recommended_is_a_caution(rules: tuple[Rule, ...]) -> None:
    assert levels("Using a massage gun to relieve joint pain is not recommended.", rules) == []


def test_possible_benefits_are_hedged(rules: tuple[Rule, ...]) -> None:
    possible = "There are many possible benefits of a massage gun, such as increasing circulation."
    assert levels(possible, rules) == [("warning", "hedged")]


def test_but_only_narrows_a_regulators_frame(rules: tuple[Rule, ...]) -> None:
    narrowed = "The regulator has approved some devices, but only for pain relief after surgery."
    assert levels(narrowed, rules) == []
    assert ("error", "asserted") in levels("The FDA approved it, but it relieves back pain.", rules)


def test_a_claim_said_to_be_unnecessary_is_denied(rules: tuple[Rule, ...]) -> None:
    assert levels("Detoxing the body isn't necessary because the liver does it.", rules) == []


def test_a_group_at_higher_risk_is_a_caution(rules: tuple[Rule, ...]) -> None:
    risk = "People with heart conditions are more prone to developing problems with the device."
    assert levels(risk, rules) == []


def test_a_hedge_on_the_verb_of_a_claims_noun_phrase_hedges_it(rules: tuple[Rule, ...]) -> None:
    assert levels("Products for back pain may help some people.", rules) == [("warning", "hedged")]
    # A hedge on a second verb leaves the first claim asserted.
    assert ("error", "asserted") in levels("Cures back pain and may also help you sleep.", rules)


def test_a_claim_qualified_by_its_condition_is_hedged(rules: tuple[Rule, ...]) -> None:
    qualified = (
        "The mat will only contribute to weight loss when used with a calorie controlled diet."
    )
    assert levels(qualified, rules) == [("warning", "hedged")]


def test_care_given_by_professionals_is_reported(rules: tuple[Rule, ...]) -> None:
    assert levels("Dermatologists can treat eczema with light.", rules) == [("warning", "reported")]
    assert ("error", "asserted") in levels("Chiropractors use our mat to treat sciatica.", rules)


def test_a_studys_topic_is_reported(rules: tuple[Rule, ...]) -> None:
    topic = "Researchers looked at the effectiveness of acupressure for relieving back pain."
    assert levels(topic, rules) == [("warning", "reported")]


def test_a_regulators_passive_finding_and_a_complainants_view_report(
    rules: tuple[Rule, ...],
) -> None:
    limited = "Claims for massagers are limited by the agency to: relieves minor muscle aches."
    assert levels(limited, rules) == []
    complained = "The complainant considered that the ad claimed to treat colds and flu."
    assert levels(complained, rules) == []


def test_products_promising_an_effect_are_reported_at_a_distance(rules: tuple[Rule, ...]) -> None:
    promising = "Magnetic devices, promising to end your pain and cure virtually any disease."
    assert levels(promising, rules) == []


def test_a_negation_reaches_twelve_words(rules: tuple[Rule, ...]) -> None:
    # Ten words between "not" and the claim: a clause's negation, as NegEx and ConText
    # scope it, reaches further than the ten words it used to.
    denied = "These belts do not do a thing to turn your belly into a sleek six-pack."
    assert levels(denied, rules) == []


def test_what_a_complainant_considered_is_reported(rules: tuple[Rule, ...]) -> None:
    considered = (
        "The complainant considered the ad made medical claims about strengthening the immune"
        " system."
    )
    assert levels(considered, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        # Written for this test: a disclaimer or a denial in an opening subordinate clause
        # does not reach the main clause's claim.
        "Although it is not a cure, it relieves back pain.",
        "While we don't make medical claims, our mat relieves back pain.",
        "While earthing needs further research, the benefits of earthing include lowering"
        " inflammation.",
    ],
)
def test_an_opening_subordinate_clause_ends_at_its_comma(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert ("error", "asserted") in levels(text, rules)


def test_a_denial_in_a_subordinate_clause_still_holds_for_its_own_list(
    rules: tuple[Rule, ...],
) -> None:
    listed = (
        "While there is a small amount of evidence of benefits, including reduced blood"
        " pressure, there are problems with it."
    )
    assert levels(listed, rules) == []
    inside = "While there is no evidence that mats cure back pain, some people find them relaxing."
    assert levels(inside, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "You don't have to watch what you eat to lose weight.",
        "Whether looking to boost your immune system or relax, our mat helps.",
    ],
)
def test_a_pseudo_negation_denies_nothing(text: str, rules: tuple[Rule, ...]) -> None:
    assert ("error", "asserted") in levels(text, rules)


def test_a_token_that_names_its_condition_is_the_claim(rules: tuple[Rule, ...]) -> None:
    # Written for this test: "breaks pain signals" holds its health object, "pain"; the
    # overlap once made it no pair at all.
    assert ("error", "asserted") in levels("Our mat breaks pain signals.", rules)


# Written for this test: a review's loopholes, sentences a seller could publish about its
# own product that the report, hedge, denial and caution cues had made a warning or
# nothing. Each is an error again.
@pytest.mark.parametrize(
    "text",
    [
        "Complainants said the mat cured their arthritis, and it did.",
        "Dermatologists can treat eczema using the SpikeRest mat at home.",
        "Dermatologists can treat eczema with the mat.",
        "Dermatologists recommend the mat to treat eczema.",
        "Devices promising to cure arthritis, like the SpikeRest mat, are now in stock.",
        "Doctors can cure your insomnia with the SpikeRest mat.",
        "It is considered safe and relieves back pain in minutes.",
        "It is no gimmick and we promise that after just a few short nights on it the mat"
        " cures arthritis.",
        "It is no gimmick and we promise that after just a few the mat cures arthritis.",
        "Mats promising to cure arthritis are rare; ours does.",
        "Nobody else sells this and we promise that after just a few short nights on it the"
        " mat cures arthritis.",
        "Only the SpikeRest mat cures arthritis when used with a diet.",
        "People who use the mat are more prone to getting rid of their migraines.",
        "Physiotherapists use the mat to treat sciatica.",
        "Possible benefits aside, the mat cures arthritis.",
        "Reflexologists believe that foot reflexology cures arthritis, and our mat delivers it.",
        "Reflexologists believe the mat cures arthritis, and they are right.",
        "Reflexologists believe the mats we sell cure arthritis.",
        "Reflexologists believe, as we do, that the mat cures arthritis.",
        "Reflexologists believe it, and so do we: the mat cures arthritis.",
        "The FDA has approved some devices, including our mat, to treat back pain.",
        "The SpikeRest mat is the only device promising to cure arthritis that actually does.",
        "The SpikeRest mat, promising to cure arthritis in a week, is on sale.",
        "The complainant considered the mat a cure for arthritis, which it is.",
        "The mat is considered effective for treating migraines.",
        "The mat is considered safe and cures migraines.",
        "The mat is considered the best cure for arthritis.",
        "The mat only cures arthritis when used with a diet.",
        "There's no other product that works as fast as the mat which cures arthritis.",
        "Unlike devices promising to cure arthritis, the SpikeRest mat really does.",
        "Users are more prone to recovering from arthritis with the mat.",
        "We agree with reflexologists who believe the mat cures arthritis.",
        "We are not a clinic and we promise that after just a few short nights on it the mat"
        " cures arthritis.",
        "We don't sell drugs and we promise that after just a few short nights on it the mat"
        " cures arthritis.",
        "You won't believe how quickly and how completely and how cheaply our mat cures your"
        " arthritis.",
    ],
)
def test_a_sellers_own_claim_past_the_cues_is_an_error(text: str, rules: tuple[Rule, ...]) -> None:
    assert "error" in {level for level, _ in levels(text, rules)}


# Written for this test: the same review's sentences whose design is a warning, never
# silence: a trade's belief, a complainant's view or a regulator's passive finding about a
# definite product ("the mat", "this tea", "it"), a bare assessment of a practice, a
# listed authority on "our" product, and a hedge in the claim's own clause ("possible
# benefits include").
@pytest.mark.parametrize(
    "text",
    [
        "Acupressure is considered a cure for insomnia.",
        "Acupuncturists believe the SpikeRest mat cures arthritis.",
        "Acupuncturists believe your new mat will cure your migraines.",
        "Chiropractors believe the mat cures sciatica.",
        "Complainants considered that the mat cured their arthritis.",
        "Herbalists believe this tea cures diabetes.",
        "Naturopaths believe this product reverses diabetes.",
        "Our mat's use was limited by the agency to the relief of back pain.",
        "Reflexologists believe SpikeRest's mat cures arthritis.",
        "Reflexologists believe it cures arthritis.",
        "Reflexologists believe that the SpikeRest mat will cure your arthritis in a week.",
        "Reflexologists believe the SpikeRest mat cures arthritis.",
        "Reflexologists believe the mat cures arthritis.",
        "Reflexologists believe this mat cures arthritis.",
        "The mat is considered by experts to cure migraines.",
        "The mat was found by the agency to relieve back pain.",
        "The mat's possible benefits are a cure for insomnia.",
        "The mat, which reflexologists believe cures arthritis, is on sale today.",
        "The possible benefits include curing arthritis and reversing diabetes.",
        "The possible benefits of our mat include curing arthritis.",
    ],
)
def test_others_report_on_a_definite_product_is_never_silent(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert {"error", "warning"} & {level for level, _ in levels(text, rules)}


@pytest.mark.parametrize(
    "text",
    [
        "Our mat cures obesity.",
        "Our mat reverses obesity.",
        "Products for weight loss may provide some help, but our mat cures obesity.",
    ],
)
def test_treating_obesity_is_a_weight_claim(text: str, rules: tuple[Rule, ...]) -> None:
    # Written for this test: obesity is left out of the health objects (so that "people
    # with obesity" cautions stay quiet) and was caught by no weight rule until it got
    # its treating verbs.
    assert ("error", "asserted") in levels(text, rules)
    assert levels("People with obesity should talk to their doctor before use.", rules) == []


@pytest.mark.parametrize(
    "text",
    [
        # Written for this test (stop 42): marketing retold from a third party.
        "Knee wraps like these have been marketed to runners as a cure for arthritis.",
        "They promote the MagnaBand as drug-free relief for arthritis and sciatica.",
        "The defendants advertised NeuroBoost, which they sold online, as a cure for diabetes.",
    ],
)
def test_marketing_retold_from_a_third_party_is_reported(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(text, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "We promote the mat as a cure for sciatica.",
        "SpikeRest promotes the mat as a cure for sciatica.",
        "Our mat has been sold to relieve back pain for ten years.",
        "Fans swear our mat cures sciatica.",
    ],
)
def test_the_publisher_marketing_its_own_goods_still_claims(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert "error" in {level for level, _ in levels(text, rules)}


def test_what_others_swear_by_asks_for_the_study(rules: tuple[Rule, ...]) -> None:
    found = levels("Others swear that sleeping on a bed of nails can cure migraines.", rules)
    assert found
    assert {level for level, _ in found} == {"warning"}


@pytest.mark.parametrize(
    "text",
    [
        "None of these abdominal belts have ever been scientifically proven to effectively get rid"
        " of belly fat.",
        "There is a lack of good clinical and laboratory knowledge about the use of shoe"
        " insoles for the prevention or treatment of back pain.",
    ],
)
def test_a_denial_of_proof_reaches_its_whole_clause(text: str, rules: tuple[Rule, ...]) -> None:
    assert levels(text, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "There is no evidence that magnets work, and our mat cures sciatica.",
        "Nothing has been shown to work better, and our mat cures sciatica.",
        "None of the other products have been proven to work, and it cures sciatica.",
    ],
)
def test_a_denying_frame_ends_at_a_new_clause_with_its_own_subject(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert ("error", "asserted") in levels(text, rules)
    assert levels("There is no evidence that acupressure and the mat relieve pain.", rules) == []


def test_evidence_that_it_does_not_work_is_a_denial(rules: tuple[Rule, ...]) -> None:
    # Written for this test (stop 42).
    denial = "Several randomised trials have shown that magnetic insoles do not ease heel pain."
    assert levels(denial, rules) == []
    claim = "Studies have shown that our mat doesn't just relieve pain, it cures sciatica."
    assert ("warning", "reported") in levels(claim, rules)


@pytest.mark.parametrize(
    "text",
    [
        "Our mat cannot fail to relieve back pain.",
        "Our mat will not fail to ease your sciatica.",
        "Our mat doesn't just relieve pain, it cures sciatica.",
        "Our mat doesn't only relieve pain, it cures sciatica.",
        "Clinical trials prove that our mat cannot fail to relieve back pain.",
    ],
)
def test_a_double_negation_or_not_just_affirms(text: str, rules: tuple[Rule, ...]) -> None:
    assert ("error", "asserted") in levels(text, rules)


def test_advice_sought_from_a_professional_is_a_caution(rules: tuple[Rule, ...]) -> None:
    caution = (
        "If your neck hurts, seek advice from a healthcare professional to diagnose and treat"
        " the cause of the pain."
    )
    assert levels(caution, rules) == []


@pytest.mark.parametrize(
    "text",
    [
        "Talk to your doctor first, then let our mat cure your sciatica.",
        "Consult your doctor, and our mat will cure your sciatica.",
        "Seek advice from your doctor, then let our mat cure your sciatica.",
        "Stop using your old pillow and let our mat cure your back pain.",
    ],
)
def test_a_caution_does_not_reach_a_claim_joined_after_it(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert ("error", "asserted") in levels(text, rules)
    assert (
        levels("Do not use the mat if you have epilepsy, diabetes, or heart disease.", rules) == []
    )


@pytest.mark.parametrize(
    "caution",
    [
        "Anyone with eczema should avoid placing the mat on the affected skin.",
        "Avoid lying on the spikes with broken or inflamed skin.",
        "People who have diabetes should avoid the SpikeRest mat.",
        "Keep the mat away from children and from anyone with epilepsy.",
        "If your back pain gets worse after using the mat, stop and see your GP.",
        # Published (dev: honest-productpages.yaml), stop 43.
        "People with health conditions such as osteoporosis, neuropathy, or cardiovascular"
        " disease should steer clear of massage guns.",
    ],
)
def test_a_caution_may_name_how_the_mat_is_placed_or_kept(
    caution: str, rules: tuple[Rule, ...]
) -> None:
    assert levels(caution, rules) == []


# An independent review of this stop's cues (stop 42) wrote these: each new way to read a
# claim as someone else's, denied or cautioned must leave the shop's own product (the mat,
# this mat, the SpikeRest mat) to the claim rules. Each was silent or a warning before the
# fixes.
@pytest.mark.parametrize(
    "text",
    [
        "Others say the mat cured their sciatica in a week.",
        "Devotees believe the mat cures arthritis.",
        "Others swear the SpikeRest mat cured their sciatica.",
        "The SpikeRest mat has been marketed to runners as a cure for plantar fasciitis.",
        "This mat has been sold to over 50,000 people to cure their sciatica.",
        "SpikeRest mats have been advertised to nurses as a cure for insomnia.",
        "Thousands of others swear by it for curing migraines.",
        "Physiotherapists love it: they promote the mat as the best cure for sciatica.",
        "The SpikeRest mat is the cure for sciatica that doctors don't want you to know about.",
        "Our mat ends the back pain that painkillers do not touch.",
        "Clinical trials prove that people using our mat do not need painkillers for back pain.",
        "Nothing has been proven to work faster: the SpikeRest mat cures back pain in minutes.",
        "There is a complete absence of side effects and the mat cures sciatica in days.",
        "None of our customers has been shown to need surgery after the mat cured their sciatica.",
        "Seek advice from your GP about using the mat to cure your sciatica.",
        "Seek advice from a professional who will confirm that the SpikeRest mat cures sciatica.",
        "Stop sitting in pain and use our mat to cure your sciatica.",
        "Stop lying awake at night with insomnia, the SpikeRest mat cures it.",
        "Avoid putting your health at risk with pills - the SpikeRest mat cures back pain.",
        "There is no evidence that magnets work, and the mat cures sciatica.",
        "There is no evidence that magnets work; the SpikeRest mat cures sciatica.",
        # ... and a second review's, after the first one's fixes.
        "You should avoid painkillers because the mat cures back pain.",
        "Keep the pills away from your cupboard, the mat cures back pain.",
        "Stop and see your GP less often, as the mat cures back pain.",
        "This acupressure mat has been sold to over 50,000 people to cure their sciatica.",
        "SpikeRest has been marketed to runners as a cure for plantar fasciitis.",
        "It has been sold to 50,000 people to cure their sciatica.",
        "This acupressure set has been sold to over 50,000 people to cure their sciatica.",
        "Research proves that pills can't cure sciatica like the SpikeRest mat.",
        "The mat is not an alternative to medication, it is the cure for back pain.",
        "The mat is not an alternative to painkillers - it is better than them.",
        "Stop sitting on the mat if you like, it cures sciatica anyway.",
        "Get advice from a practitioner, who will confirm the mat cures sciatica.",
        "Others swear it cured their sciatica.",
        "None of these customers has been shown to need surgery after the mat cured their"
        " sciatica.",
        "The only painkiller you'll ever need.",
        # Written for this test: a denial after the claim words counts only after proof.
        "The mat is the sciatica cure that pills do not help.",
        # Written for this test (stop 43): steering clear of the reader's medicine is no
        # caution, nor is a cure for some people a hedge.
        "You should steer clear of pills because our mat cures arthritis.",
        "Our mat cures sciatica for some people.",
        "Our mat eases back pain for some time.",
    ],
)
def test_the_new_cues_leave_the_shops_own_product_to_the_claim_rules(
    text: str, rules: tuple[Rule, ...]
) -> None:
    assert "error" in {level for level, _ in levels(text, rules)}


@pytest.mark.parametrize(
    "honest",
    [
        # The review's honest probes: labels after a sentence end, as NHS pages write them.
        "It helps. Note: back pain that lasts more than six weeks needs a GP.",
        "Treatment: most sciatica gets better on its own within six weeks.",
        "Studies have proven that magnetic insoles can't relieve heel pain.",
        # The second review's: product facts, refusals, cautions and null results.
        "Our mats are tested for toxic metals such as lead and cadmium.",
        "The spikes are made from ABS plastic, free of toxic substances.",
        "Acupressure is not a viable alternative to pharmaceutical treatments for sciatica.",
        "It was shown that the spikes can break the skin in people with thin skin.",
        "Your body's natural ability to heal is why most sprains get better.",
        "If you suffer from anxiety, it is important to talk to your doctor about treatment.",
    ],
)
def test_labels_and_denied_proof_stay_honest(honest: str, rules: tuple[Rule, ...]) -> None:
    assert "error" not in {level for level, _ in levels(honest, rules)}


@pytest.mark.parametrize(
    "text",
    [
        # Published (dev: honest-batch43.yaml), stop 43.
        "Acupressure wristbands ease nausea for some people, but controlled tests often land"
        " near placebo, so treat them as a low-risk add-on.",
        # Written for this test.
        "Our mat relieves back pain in some cases.",
    ],
)
def test_a_soft_effect_for_some_people_is_hedged(text: str, rules: tuple[Rule, ...]) -> None:
    assert ("warning", "hedged") in levels(text, rules)
    assert "error" not in {level for level, _ in levels(text, rules)}
