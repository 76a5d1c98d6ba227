"""A claim's status: who says it, how firmly, and so what lint makes of it.

Claim words are not a claim on their own. The same words are:

- **asserted** when the publisher states them as fact ("this mat relieves back pain"):
  the rule's level, an error for a claim rule;
- **hedged** ("may relieve", "for some people", "the possible benefits of X include" in
  the claim's own clause; "can", "usually", "often" before a soft
  effect, "can help relieve"; a genuine question, opening with an auxiliary as an FAQ
  asks, "Does the mat ...?"): a warning asking for the study it rests on, and nothing when
  a study is named in the same sentence; so is a claim in a noun's modifier whose verb is
  hedged ("products for weight loss may provide") and one qualified by the condition that
  carries it ("only ... when used with a calorie controlled diet"; not a cure or a
  treatment). "Possible benefits aside, the mat cures" asserts. "Can cure", "often
  treats" (a firm effect after the hedge) and selling questions ("Did you know ...?",
  "Want to ...?") stay asserted;
- **reported**, attributed to a study, review, trial, regulator or other people ("a 2011
  study of 72 students found", "the ASA ruled", "sellers claim"): nothing when it names
  the study (its year, size or design, or "the trial", "both groups", "an animal study"),
  when a trade's belief about a practice is retold ("reflexologists believe that pressing
  the feet ..."), when a regulator finds in the passive ("limited by the agency to") or a
  complainant speaks; a warning when it is a study's topic ("research looking at the
  effectiveness of"), care given by professionals with no product of the publisher's
  named ("dermatologists can treat eczema", not "... with the mat"), an assessment in the
  passive within its clause ("acupressure is considered a cure"; it reaches no further
  than "and", and a bare one about a definite product, "the mat is considered effective",
  is the publisher's), or a trade's belief, a complainant's view or a regulator's passive
  finding about a definite product ("the mat", "this tea", "it", "the mat, which ..."),
  which may be the publisher's and is never silent,
  when a listed regulator, court or agency is the subject of a statement or finding before
  the claim (acronyms as written: "WHO", not "who"; "approved" and "cleared" are no
  statement), when critics dismiss the claim, or when a third party makes it at a distance
  ("the company claimed that", "were marketed as", "allegedly" in its clause; "have been
  marketed to runners as", "they promote the MagnaBand as" and "the defendants
  advertised" only when the sentence names no product of the publisher's; "magnetic
  devices, promising to" when the class does not take the publisher's in: "like the
  SpikeRest mat", "ours does"); a warning
  ("name the study") when it appeals to research in general or to what people say. The
  publisher's own voice is never a report: "sold to relieve", "is marketed to", "our mat
  promises to", an organisation that is no regulator endorsing it ("the X Wellness
  Institute recommends"), a population ("in women who ..."), or an attribution after the
  claim that names no study (", the paper says"). A report on the publisher's own product
  ("our mat", not "our bodies"; "ours", "the mats we sell", "..., and our mat delivers
  it") is an endorsement, the rule's level, when anyone but a listed authority or research
  says it ("physiotherapists say our mat ...", "many people say", "our mat is said to",
  "our mat is considered safe and cures"), and so is any report the publisher takes as
  its own ("as we do", "so do we", "they are right", "we agree", "which it is", "and it
  did", "really does"); a regulator approving a class that takes the publisher's in
  ("some devices, including our mat") is its selling point; a listed
  authority's ("the WHO says our mat ...") or research's ("studies show our mat ...") is a
  warning, silent only when it names its study;
- **denied** or uncertain ("does not", "no evidence that", "it is unclear whether", "no
  better than sham", "none of these belts has been scientifically proven to", "there is
  a lack of clinical knowledge of", proof that it does not work, "studies have proven that
  magnetic insoles do not relieve", a counterfactual "if it were actually backed by
  science"): nothing;
- **cautioned**, a caution that names a condition ("do not use if you have epilepsy",
  "talk to your doctor if pregnant", "seek advice from a healthcare professional", "may
  cause burns", "are more prone to" a harm named
  (problems, injuries, burns, side effects ...; not "to getting rid of"), "is not
  recommended"): nothing. A caution reaches no claim joined after a comma and "and",
  "so" or "then", nor after "and", "so" or "then" before a new subject ("Talk to your
  doctor first, then let our mat cure your sciatica" and "Stop using your old pillow and
  let our mat cure your back pain" assert).

Scope is the clause: clauses end at sentence ends, semicolons, colons and contrast words
("but", "however"), so "X does not cure anything, but it relieves back pain" still
asserts the second clause; a subordinate clause that opens a sentence ends at its comma
("Although it is not a cure, it relieves back pain" and "While we make no medical claims,
our mat relieves back pain" assert); a sentence-wide frame ("There is no evidence that
...", "Researchers found that ...") reaches to the next contrast word, and a denying one
not past such a clause, nor past a semicolon, a colon, or a comma and a new subject
("There is no evidence that magnets work, and the mat cures sciatica" asserts). A
negation reaches 12 words back, but not past "and", "but", "yet" or "so" before a new
subject ("We don't sell drugs and we promise ..."), "we promise" or a product's "which".
Pseudo-negations deny nothing ("over the counter", "you don't have to diet to lose
weight", "Whether looking to boost your immune system, ...", "you won't believe how", "no
other", "nothing else", "doesn't just", "cannot fail to").

Why hand-written cues rather than medspaCy's ConText: measured on the claims corpus's dev
half as it was before stop 38's cues and data, and not run again since
(``benchmarks/status_vs_context.py``, every candidate claim, the same levels after), the
cues then left 18 of 308 honest sentences with an error and caught 317 of 342 dishonest
ones; ConText's default rules alone leave 67 with an error (catching 312), and ConText for
negation and uncertainty with these cues for cautions and attribution 33 (catching 309).
Its rules are clinical: "little, if any, evidence that" reads as hypothetical, "neither
... have seen evidence" is not negated, and it knows no attribution to studies or
regulators nor cautions. spaCy's import alone also costs more than the whole lint of
``content/``.
"""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from spikecontent.diagnostics import Level

__all__ = [
    "SENTENCE_END",
    "WORD",
    "Claim",
    "ClaimStatus",
    "clause",
    "level_for",
    "status_of",
]


class ClaimStatus(enum.Enum):
    """Who says a claim, and how firmly."""

    ASSERTED = "asserted"
    HEDGED = "hedged"
    REPORTED = "reported"
    DENIED = "denied"
    CAUTIONED = "cautioned"


# An ellipsis running on in lower case marks words left out of a quotation, not an end.
CLAUSE_END: Final = re.compile(
    r"(?<!\.)(?!\.{2,}\s*[a-z])[.!?;:]+(?=\s|$)|\n|\b(?:but|however|although|though|whereas|yet|while)\b",
    re.IGNORECASE,
)
SENTENCE_END: Final = re.compile(r"(?<!\.)(?!\.{2,}\s*[a-z])[.!?]+(?=\s|$)|\n")
# "But only" narrows what came before ("has approved some devices, but only for ...") and
# keeps its frame; other contrast words start a new one.
_CONTRAST: Final = re.compile(
    r"\b(?:but(?!\s+only\b)|however|although|though|whereas|yet)\b", re.IGNORECASE
)
# A word as the lint counts words around a claim (its negation window here, a rule's
# proximity window in ``matching``): apostrophes and hyphens inside it keep it one.
WORD: Final = re.compile(r"\w+(?:['\u2019-]\w+)*")

_NEGATION_WINDOW: Final = 12
_NEGATORS: Final = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "neither",
        "without",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "shouldn't",
        "wouldn't",
        "couldn't",
        "mustn't",
        "unproven",
        "untested",
        "unsupported",
        "unestablished",
        "unlikely",
        "lack",
        "lacks",
        "lacking",
        "myth",
        "myths",
        "misunderstanding",
        "misconception",
        "misconceptions",
        "fallacy",
        "falsely",
        "mistakenly",
        "wrongly",
        "counter",
        "debunk",
        "debunked",
        "debunks",
        "refute",
        "refuted",
        "refutes",
        "contradict",
        "contradicts",
        "disputed",
        "skeptical",
        "sceptical",
        "doubt",
        "doubtful",
        "rather",
        "instead",
        "nothing",
        "none",
        "whether",
        "ineffective",
        "useless",
        "unclear",
        "uncertain",
        "unknown",
        "inconclusive",
        "insufficient",
        "conflicting",
        "unable",
        "fail",
        "fails",
        "failed",
        "contrary",
    ]
)
# Nouns and verbs that report a claim as someone else's; "we promise" makes it ours again.
_DISTANCING: Final = frozenset(
    [
        "claim",
        "claims",
        "claimed",
        "claiming",
        "promise",
        "promises",
        "promised",
        "supposedly",
        "allegedly",
        "so-called",
        "purported",
        "purportedly",
        "hype",
        "idea",
        "notion",
        "belief",
        "beliefs",
        "theory",
        "theories",
        "proponents",
        "believers",
        "touted",
        "supposed",
        "alleged",
        "purported",
        "so-called",
        "dubious",
        "bogus",
    ]
)
_FIRST_PERSON: Final = frozenset(["we", "i", "our", "us", "you", "they", "can", "will", "shall"])
# "This mat promises to", "it claims to": the product speaking is the publisher speaking
# ("that it claimed", the maker's words retold, still distances).
_OWN_SUBJECT: Final = frozenset(["our", "my", "this"])
_SPEAKING_VERBS: Final = frozenset(
    ["claim", "claims", "claimed", "claiming", "promise", "promises", "promised"]
)
# Pseudo-negations (NegEx's term): the words of a negation that deny nothing. "Over the
# counter" is a shelf; "you don't have to diet to lose weight" sells the ease of the
# effect; a clause that opens with "whether" ("Whether looking to boost your immune
# system, ...") is an "if you want to", not an uncertainty.
_NOT_A_NEGATION: Final = re.compile(
    r"\b(?:not|\w+n['\u2019]t)\s+(?:only|just)\b|\bno doubt\b|\bnothing but\b|"
    r"\bover[- ]the[- ]counter\b|"
    r"\b(?:do|does|did|will|would)(?:\s+not|n['\u2019]t)\s+(?:even\s+)?have\s+to\b|"
    r"\bnever\s+have\s+to\b|^\W*whether\b|"
    # "You won't believe how ...", "no other product ... as fast as", "nothing else":
    # praise in a negation's words.
    r"\b(?:won['\u2019]t|will\s+not|can['\u2019]t|cannot)\s+believe\b|"
    r"\b(?:no|nothing|nobody|no\s+one)\s+(?:other|else)\b|"
    # A double negation affirms: "cannot fail to relieve", "will not fail to ease".
    r"\b(?:cannot|can['\u2019]t|can\s+not|will\s+not|won['\u2019]t|does\s+not|doesn['\u2019]t|"
    r"never)\s+fail(?:s|ed)?\s+to\b",
    re.IGNORECASE,
)
_DENIED_AFTER: Final = re.compile(
    r"^\s*(?:that\s+)?(?:no|not|nothing|little|cannot|can't|do\s+not|don't|does\s+not|"
    r"doesn't|did\s+not|didn't|will\s+not|won't|claims?|claimed)\b|"
    r"\b(?:(?:is|are|was|were|has|have|remains?|been)\s+(?:not|never)\s+(?:been\s+)?"
    r"(?:proven|established|supported|shown|demonstrated|backed)|unproven|untested|unsupported|"
    r"(?:is|are)n['\u2019]t\s+(?:proven|established|supported|backed)|"
    r"(?:is|are|was|were|remains?)\s+(?:still\s+)?(?:limited|weak|mixed|inconclusive|unclear|"
    r"lacking|thin|sparse|preliminary|an open question|unknown|uncertain|not known)|"
    r"(?:no|little|weak)\s+(?:good\s+|strong\s+|reliable\s+|clear\s+)?evidence|"
    r"(?:are|is|were|was)\s+(?:uncertain|unclear|not clear)|"
    r"(?:proved|proven|shown|found)\s+(?:to\s+be\s+)?(?:ineffective|useless)|"
    r"no better than|no more (?:effective|helpful) than|no (?:significant |real )?difference|"
    r"(?:is|are|was|were)\s+(?:(?!not\b|never\b)\w+\s+)?(?:unsubstantiated|unfounded|false|bogus|"
    r"misleading|"
    r"untrue|not\s+true|a\s+myth)|(?:has|have|had)\s+not\s+(?:received|been|got)|"
    r"(?:is|are)(?:\s+not|n['\u2019]t)\s+(?:\w+\s+)?(?:necessary|needed|required)|(?:is|are)\s+"
    r"unnecessary)\b",
    re.IGNORECASE,
)
# Controversy after a claim put as a question ("Whether magnets relieve pain remains
# highly controversial") is uncertainty; after a plain assertion it is spin ("Spike mats
# cure sciatica, which remains controversial" is still the claim, and so after a
# whether-clause of its own: "Whether you are tired or sore, our mat relieves ..."). Its
# only adverbs are of degree, and it ends the matter ("controversial to Big Pharma",
# "disputed by no one" affirm the claim).
_WHETHER: Final = re.compile(r"\bwhether\b[^,;:.!?]*$", re.IGNORECASE)
_CONTROVERSY_AFTER: Final = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:(?:has|have)\s+been\s+(?:a|the)\s+subject\s+of\s+(?:much\s+|some\s+)?"
    r"(?:controversy|debate)\b|(?:is|are|remains?)\s+(?:still\s+|highly\s+|hotly\s+|much\s+|widely\s+)?"
    r"(?:controversial|debated|contested)\s*(?:[.;]|$))",
    re.IGNORECASE,
)
# A counterfactual condition ("if it were actually backed by science", "were it true"):
# the claim is supposed, not made, and the supposition denies it.
_COUNTERFACTUAL: Final = re.compile(
    r"(?<!what\s)\bif\s+(?:it|they|this|that|these|those)\s+(?:were\b|was\s+(?:actually|really|"
    r"truly)\b)|\bwere\s+(?:it|they|this|that)\s+(?:actually\s+|really\s+|truly\s+)?(?:true|so|"
    r"the\s+case)\b",
    re.IGNORECASE,
)
# A definite product phrase names the publisher's goods as "our" does ("the mat", "this
# product", "your new pillow", "the SpikeRest mat", "SpikeRest's mat", "ours", "the mats
# we sell"): a trade's belief, a complainant or a finding about it is never silent.
_PRODUCT_NOUN: Final = (
    r"(?:mats?|products?|devices?|pillows?|teas?|supplements?|patch(?:es)?|bracelets?|bands?|"
    r"insoles?|cushions?|toppers?|blankets?|belts?|wraps?|sleeves?|massagers?|pads?|gadgets?|"
    r"kits?|capsules?|tablets?|pills?|oils?|creams?|machines?|formulas?|remed(?:y|ies))"
)
# A frame that denies everything after it in the sentence: "There is no evidence that ...".
_DENYING_FRAME: Final = re.compile(
    r"\b(?:there\s+(?:is|was|are)\s+(?:\w+\s+){0,2}(?:no|little|insufficient|limited|"
    r"not enough|weak|conflicting|inconsistent)\b|"
    r"no\s+(?:good|strong|reliable|scientific|"
    r"convincing|clear|high-quality|firm|solid|conclusive)?\s*(?:evidence|proof|studies|research)|"
    r"(?:little|scant|insufficient|weak|limited)\s+(?:\w+\s+)?(?:evidence|proof)|"
    r"(?:it\s+is|it's|remains)\s+(?:still\s+)?(?:unclear|uncertain|unknown|not\s+known|"
    r"not\s+clear)|(?:was|is|were|are)\s+uncertain\s+(?:if|whether)|not\s+(?:yet\s+)?"
    r"(?:been\s+)?(?:proven|shown|established|demonstrated)|unproven|(?:lack|absence|paucity|dearth)\s+of\s+"
    r"(?:\w+\s+){0,3}?(?:evidence|proof|studies|research|data|trials)|"
    r"there\s+is\s+(?:a\s+)?(?:lack|absence|paucity|dearth)\s+of\s+(?:\w+\s+){0,4}?knowledge|"
    # "None of these belts has been scientifically proven to": a class's proof denied (not
    # "none of our customers", "no other mat has been shown to work this well").
    rf"none\s+of\s+(?:the|these|those)\s+(?:[\w-]+\s+){{0,2}}?(?:{_PRODUCT_NOUN}|studies|trials|"
    r"treatments|therapies|claims|brands)\s+(?:has|have|had)\s+(?:ever\s+|yet\s+)?"
    r"been\s+(?:\w+ly\s+)?(?:proven|shown|demonstrated|established)|no\s+(?:\w+\s+)?(?:benefit|effect)s?\b|"
    r"(?:do|does|did)\s+not\s+(?:\w+\s+)?(?:work|help|show|find|support)|"
    r"(?:neither|nor)\b|(?:hard|difficult|impossible)\s+to\s+(?:tell|say|know)|"
    r"low[- ]quality\s+(?:\w+\s+)?evidence|small\s+amount\s+of\s+(?:\w+\s+)?evidence|"
    r"(?:uncertainty|doubts?|debate|controversy|scepticism|skepticism)\s+(?:about|over|as\s+to|"
    r"regarding|whether|surrounding)|no\s+(?:\w+\s+){1,3}(?:evidence|proof|link|data|support)|"
    r"(?:need|needs|needed)\s+(?:for\s+)?(?:more|further|larger)\s+(?:\w+\s+)?(?:research|"
    r"studies|trials|evidence)|more\s+research\s+is\s+needed)",
    re.IGNORECASE,
)
_DENIES_CAUTION: Final = re.compile(
    r"(?:no|zero|without|free\s+of|never\s+any|not\s+any)\b", re.IGNORECASE
)
# Cautions: the reader told when not to use it, or to ask a professional.
_CAUTION: Final = re.compile(
    # Not permission or a promise to stop ("you can stop taking your medication", "never
    # take another painkiller"): those sell the product as the replacement.
    r"\b(?:(?<!can\s)(?<!could\s)(?<!will\s)(?<!(?<!need\s)(?<!have\s)(?<!safe\s)to\s)(?:do\s+not|don't|never|avoid|stop)\s+"
    r"(?:\w+\s+){0,3}(?:use|using|take|taking|apply|applying|wear|wearing|"
    r"(?:(?:place|placing|put|putting)\s+|(?:lie|lying|stand|standing|sit|sitting)\s+on\s+)"
    r"(?:it|(?:the|your|this)\s+(?:\w+\s+)?(?:mats?|spikes|pads?|device))|if|when|during|"
    r"while)\b(?!\s+(?:another|any\s+more|anymore)\b)|(?:should|must)\s+not\s+(?:be\s+)?"
    r"(?:use|used|take|taken|try)\b|(?:check\s+with|consult)\s+(?:your|a|an|their)\s+"
    r"(?:\w+\s+){0,2}(?:doctor|gp|physician|clinician|pharmacist|midwife|health\s*care|healthcare|"
    r"provider|professional|practitioner|team|nurse|specialist)|(?:talk|speak|ask|tell)\s+"
    r"(?:with\s+|to\s+)?(?:your|a|an|their)\s+(?:\w+\s+){0,2}(?:doctor|gp|physician|clinician|"
    r"pharmacist|midwife|health\s*care|healthcare|provider|professional|practitioner|team|nurse|"
    r"specialist)s?\s+(?:\w+\s+){0,3}?(?:before|if|whether|about|first|when|knows)\b|"
    r"(?:seek|get)\s+(?:\w+\s+)?(?:medical|professional)\s+(?:advice|help|care|attention)|"
    r"(?:seek|get|take)\s+(?:\w+\s+)?(?:advice|help|guidance)\s+from\s+(?:your|a|an|their)\s+"
    r"(?:\w+\s+){0,2}(?:doctor|gp|physician|clinician|pharmacist|midwife|health\s*care|healthcare|"
    r"provider|professional|practitioner|nurse|specialist)s?(?=\s*(?:[.;:!?]|$)|\s+(?:before\s+"
    r"(?:use|using|you\s+use|trying)|if\s+you|first\b|to\s+(?:properly\s+)?(?:diagnose|rule\s+"
    r"out)))|"
    # The goods as the object: "you should avoid painkillers because the mat cures back
    # pain" avoids the reader's medicine, and claims.
    r"(?:should|must)\s+(?:avoid|steer\s+clear\s+of)\s+(?:using\s+|lying\s+on\s+|placing\s+)?"
    r"(?:it\b|(?:(?:the|this|our|your|a|an)\s+)?(?:[\w-]+\s+){0,2}?(?:mats?|spikes|devices?|"
    r"products?|guns?|massagers?|machines?|units?|belts?|braces?|bracelets?|insoles?|wristbands?)"
    r"\b)|keep\s+(?:it|(?:the|this|"
    r"your)\s+(?:[\w-]+\s+)?(?:mats?|spikes))\s+away\s+from\b|"
    r"stop\s+and\s+(?:see|call|contact|visit)\s+(?:your|a)\s+(?:gp|doctor|physician|"
    r"physiotherapist|pharmacist|midwife)(?=\s*(?:[.;:!?]|$))|"
    r"not\s+(?:recommended|suitable|safe)\s+(?:for|if|during|in)\b|(?:is|are|was|were)\s+"
    r"(?:\w+\s+)?not\s+(?:recommended|advised|advisable)\b|(?:may|can|could|might|"
    r"possible|common|rare|serious|minor|reported|include)\s+(?:\w+\s+)?side[- ]effects?|"
    r"side[- ]effects?\s+(?:include|are|may|can|such)|(?:may|can|could|might)\s+(?:also\s+)?"
    r"(?:\w+\s+)?(?:cause|interfere|interact|worsen|harm|trigger|aggravate)\b|"
    r"(?:interfere|interact)s?\s+with|precautions?|recommend\w*\s+(?:avoiding|against|not)\b|contraindicat\w*|(?:can|may|could)\s+be\s+"
    r"(?:harmful|dangerous|unsafe)|(?:is|are)\s+(?:\w+\s+)?(?:harmful|dangerous|unsafe)\b|"
    r"(?:more|most|particularly|especially)\s+(?:prone|vulnerable|susceptible)\s+to\s+"
    r"(?:(?:develop|get|gett|suffer|experienc|hav|sustain)\w*\s+)?(?:\w+\s+){0,2}?(?:problems?|"
    r"injur(?:y|ies)|burns?|bruis\w*|infections?|complications?|side[- ]effects?|bleeding|damage|"
    r"harm|(?:adverse\s+|allergic\s+)?reactions?|irritation|blisters?|falls|allerg\w+|"
    r"dizziness|fainting|overheating|dehydration|rashes|rash)\b|"
    r"at\s+(?:higher|greater|increased|particular)\s+risk\s+(?:of|for)|"
    r"(?:risk|risks|danger)\s+(?:of|to)\s+(?:\w+\s+)?(?:bruising|burns?|injury|bleeding|harm|"
    r"infection|side|skin|damage|interactions?))",
    re.IGNORECASE,
)
# Attribution to research, authorities, regulators, critics or other people. Not to the
# seller's own customers, buyers or users: their stories quoted by the seller are the
# seller's claim (the FTC's testimonial rule), so those stay asserted.
_STUDY_NOUN: Final = (
    r"(?:stud(?:y|ies)|trials?|reviews?|meta-analys[ie]s|analys[ie]s|research|researchers|"
    r"scientists|investigators|authors|experiments?|surveys?|report|evidence|data|findings|"
    r"guidelines?|rcts?|papers?)"
)
_REPORTING_VERB: Final = (
    r"(?:found|find|finds|showed|show|shows|shown|suggest|suggests|suggested|report|reports|"
    r"reported|reporting|conclude|concludes|concluded|indicate|indicates|indicated|"
    r"observed|noted|note|say|says|said|argue|argues|argued|state|states|stated|"
    r"recommend|recommends|recommended|looked|examined|tested|compared|measured|assessed|"
    r"evaluated|investigated|studied|describe|describes|described|"
    r"claim|claims|claimed|believe|believes|believed|think|thinks|thought|propose|proposed|"
    r"hypothesi[sz]ed|surmised|write|wrote|warn|warns|warned|ruled|rule|upheld|judged|"
    r"considered|concluded|demonstrate|demonstrates|demonstrated)"
)
# Practitioners of a therapy or a science, named by their trade in the plural
# ("reflexologists", "acupuncturists", "physicians", "naturopaths"): a trade's belief
# retold is theirs, not the publisher's.
_PRACTITIONERS: Final = (
    r"(?:\w+(?:olog|therap|punctur|path)ists|\w*(?:nutrition|natur|herbal|scient|special|"
    r"pharmac|dent|chem)ists|(?:physic|clinic|dietit|technic|obstetric|p(?:a)?ediatric)ians|"
    r"\w+paths|chiropractors)"
)
# What a study or review looked at ("a systematic review of the evidence for the use of
# acupuncture to treat ...", "research looking at the effectiveness of acupressure on
# relieving pain"): the claim is its topic, not the publisher's finding.
_STUDY_TOPIC: Final = (
    rf"(?:{_STUDY_NOUN}|articles|looked|looking|examined|examining|assessed|assessing|evaluated|"
    r"evaluating|investigated|investigating|tested|testing|studied|studying|compared|comparing)"
    r"\s+(?:at\s+|of\s+|on\s+|into\s+|for\s+|about\s+)?(?:\w+\s+){0,6}?(?:the\s+)?(?:use|effects?|"
    r"effectiveness|efficacy|benefits?|role|impact|safety)\s+of\b"
)
_ATTRIBUTED: Final = re.compile(
    rf"\b(?:according\s+to|{_STUDY_TOPIC}|per\s+the|as\s+defined\s+by|{_STUDY_NOUN}\b(?:\W+\w+){{0,12}}?\W+(?:has\s+|have\s+|had\s+|was\s+|"
    rf"were\s+|been\s+)*{_REPORTING_VERB}|in\s+(?:a|an|one|the|two|three|several)\s+(?:\w+\s+)"
    rf"{{0,4}}{_STUDY_NOUN}|(?:participants|patients|people|users|women|men|subjects|volunteers|"
    rf"respondents|children|adults|those|groups?|experts?|doctors|physicians|"
    rf"scientists|complainants?|{_PRACTITIONERS})\b(?:\W+\w+){{0,14}}?\W+(?:who\s+)?"
    rf"(?:reported|report|reports|said|say|says|felt|feel|described|describe|rated|noticed|"
    rf"experienced|had|showed|were|was|believe|believed|think|assume|suggest|suggests|"
    rf"demonstrated|found|considered|considers)|(?:is|are|was|were|being)\s+(?:\w+\s+){{0,2}}?(?:said|thought|"
    rf"believed|claimed|supposed|used|proposed|investigated|tested|reviewed|examined|"
    rf"studied)\b|(?:was|were|being)\s+(?:\w+\s+){{0,2}}?(?:marketed|advertised|promoted|"
    rf"touted|sold|offered)\b|has\s+been\s+(?:proposed|"
    rf"suggested|claimed|used)|have\s+been\s+(?:proposed|suggested|claimed|used)|"
    rf"\w+\s+claims?\s+to\b|"
    rf"(?:sellers|brands|marketers|retailers|companies|ads|adverts|advertisers|websites|sites|"
    rf"listings|influencers|manufacturers|makers|proponents|practitioners|advocates|supporters|"
    rf"believers|promoters|someone|anyone|they)\b(?:\s+\w+){{0,3}}"
    rf"\s+(?:say|says|said|claim|"
    rf"claims|claimed|claiming|promise|promises|promised|suggest|suggests|tells?\s+you|told\s+"
    rf"you|insist|insists|believe|believes|argue|argues|market|sell|advertise|tout|found|"
    rf"find|concluded))\b",
    re.IGNORECASE,
)
# Reported speech and trial reporting anywhere in a sentence: someone said it, or it is a
# comparison a trial made ("said Dr Smith", "compared with placebo").
_SPEECH: Final = re.compile(
    r"\b(?:said|says|told|explains|explained|added|adds|wrote|writes|notes|noted|according|"
    r"self-reported|published|"
    r"dr|prof|professor|lead\s+author|co-author|the\s+(?:article|report|paper|guidance|"
    r"guidelines?|team|authors|researchers|"
    r"investigators|results|findings|analysis|data|review|trial|study)|results\s+(?:showed|"
    r"show|suggest|suggested|indicate|indicated)|(?:than|versus|vs\.?|compared\s+(?:with|to))\s+"
    r"(?:a\s+|the\s+|those\s+(?:\w+\s+){0,3})?(?:placebo|sham|controls?|dummy|usual\s+care|"
    r"no\s+treatment|fake)|control\s+groups?|\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)\s+of\s+"
    r"(?:the\s+)?(?:participants|patients|people|women|men|subjects|volunteers|respondents)|"
    r"(?:participants|volunteers|subjects|respondents)\b)\b",
    re.IGNORECASE,
)
# The same within the claim's clause: a trial's groups or someone's belief retold ("both
# groups improved", "she believes"). A population ("in women who sit all day") narrows a
# claim and reports nothing; a study's population is reported with its study.
_CLAUSE_REPORT: Final = re.compile(
    r"\b(?:(?:she|he)\s+(?:\w+\s+)?(?:believes|believed|says|said|thinks|thought|feels|felt|"
    r"reports|reported|found|finds)|been\s+(?:reported|suggested|proposed|hypothesi[sz]ed|"
    r"investigated|studied)\s+(?:to|as|for)|(?:both|two|all|patient|control|treatment|placebo)"
    r"\s+groups?)\b",
    re.IGNORECASE,
)
# Claims the publisher reports as others' (sellers, brands, proponents): distanced, as in
# "some brands say their mats boost the immune system; no study has measured that".
_OTHERS_CLAIM: Final = re.compile(
    r"(?<!\bwe\s)(?<!\bi\s)\b(?:claim|claims|claimed|claiming|tout|touts|touted)\s+(?:that|as|to|"
    r"such|for)\b|"
    r"\b(?:sellers|brands|marketers|retailers|companies|ads|adverts|advertisers|websites|"
    r"others|devotees|fans|enthusiasts|"
    r"listings|influencers|manufacturers|makers|proponents|practitioners|advocates|"
    r"supporters|believers|promoters|someone|anyone|products?|the\s+(?:company|firm|brand|"
    r"maker|manufacturer|seller))\b(?:\s+\w+){0,3}\s+(?:say|says|"
    r"said|claim|claims|claimed|claiming|promise|promises|promised|tells?\s+you|told\s+you|"
    r"insist|insists|believe|believes|argue|argues|market|sell|advertise|tout|use)\b|"
    rf"\b{_PRACTITIONERS}\b(?:\s+\w+){{0,2}}\s+(?:believe|believes|believed|claim|claims|"
    r"claimed|think|thinks|thought|hold|holds|theori[sz]e|teach|teaches)\b",
    re.IGNORECASE,
)
# Regulators, agencies, courts and bodies of evidence review, by name (a near match may
# begin inside one: "Osteoarthritis Research Society International advises"). Acronyms match as
# written ("WHO", "NICE", "CAP", not "who", "nice", "cap"); a made-up name with a generic
# suffix ("Spine Wellness Institute") is no body: anyone can call themselves one.
_BODY: Final = (
    r"(?:(?-i:ASA|CAP|BCAP|FTC|FDA|TGA|ACCC|ASAI|ARB|NICE|NHS|NIH|NCCIH|NCCAM|WHO|CDC|MHRA|EMA|"
    r"NARB|NAD|USDA|EPA|Ofcom|OFCOM|CMA|EFSA|OARSI|AHRQ|USPSTF|BBB)|advertising\s+standards"
    r"(?:\s+authority)?|trading\s+standards|food\s+and\s+drug\s+administration|"
    r"federal\s+trade\s+commission|therapeutic\s+goods\s+administration|"
    r"competition\s+and\s+consumer\s+commission|health\s+canada|cochrane(?:\s+\w+)?|"
    r"medicines\s+and\s+healthcare\s+products\s+regulatory\s+agency|"
    r"european\s+medicines\s+agency|european\s+food\s+safety\s+authority|"
    r"world\s+health\s+organi[sz]ation|national\s+institutes?\s+(?:of|for)\s+(?:\w+\s+){0,3}"
    r"(?:health|excellence)|national\s+center\s+for\s+complementary\s+and\s+(?:integrative|"
    r"alternative)\s+health|national\s+advertising\s+(?:division|review\s+board)|"
    r"better\s+business\s+bureau|osteoarthritis\s+research\s+society\s+international|"
    r"american\s+(?:college|academy|cancer\s+society|heart\s+association|medical\s+association)"
    r"(?:\s+of\s+(?:\w+\s+){0,2}\w+)?|arthritis\s+foundation|versus\s+arthritis|"
    r"cancer\s+research\s+uk|mayo\s+clinic|cleveland\s+clinic|department\s+of\s+"
    r"(?:health|justice)(?:\s+and\s+\w+\s+services)?|"
    r"(?:supreme|high|district|federal|circuit|appeals?|superior)\s+court(?:\s+of\s+appeals?)?|"
    r"court\s+of\s+appeals?|attorneys?\s+general|prosecutors?|"
    r"the\s+(?:agency|regulator|authority|authorities|court|commission|judge|tribunal|"
    r"watchdog)|regulators?|watchdogs?|consumer\s+reports|which\?)"
)
# Who reports it: regulators and critics, whose statements are no claim of ours.
_AUTHORITY: Final = re.compile(
    rf"\b(?:{_BODY}|critics|sceptics|skeptics|complainants?|fact[- ]check\w*)(?!\w)", re.IGNORECASE
)
# What names a study: its year, its size, its authors, its venue or its design.
_NAMED_IN_FULL: Final = (
    r"(?:19|20)\d\d\b|n\s*=\s*\d+|(?<![\w-])\d[\d,]*\s+(?:\w+\s+){0,3}(?:people|participants|patients|"
    r"women|men|adults|children|students|volunteers|subjects|users|infants|workers|athletes|"
    r"nurses|mothers|smokers|veterans|employees)|et\s+al|randomi[sz]ed|placebo[- ]controlled|"
    r"double[- ]blind|controlled\s+trials?|cochrane|meta-analys[ie]s|systematic\s+review|"
    r"journal|university|published\s+in|confidence\s+interval|(?:risk|odds|hazard)\s+ratio"
)
_NAMES_A_STUDY: Final = re.compile(
    rf"\b(?:{_NAMED_IN_FULL}|"
    # A definite reference points at one study the text has named ("the trial found",
    # "the researchers said"), unlike an appeal to research in general ("studies show").
    r"(?:the|this|that|their|its)\s+(?:\w+\s+)?(?:study|trial|review|meta-analysis|survey|"
    r"experiment|paper)\b(?!\s+(?:shows?|proves?|proved|proven))|the\s+(?:researchers|authors|"
    r"investigators|study\s+team)\b|"
    # The arms of a trial, or a study's kind and its limits, point at one study too.
    r"(?:both|the\s+two|the\s+control|the\s+placebo|the\s+treatment|the\s+sham)\s+(?:\w+\s+)?"
    r"groups?|the\s+(?:participants|subjects|volunteers)\b|animal\s+stud(?:y|ies)|"
    r"in\s+(?:mice|rats|animals)|observational\s+stud(?:y|ies)|in\s+a\s+lab(?:oratory)?\s+"
    r"setting|test[- ]tube|"
    r"p\s*[<=]\s*0?\.\d)",
    re.IGNORECASE,
)
_HEDGE: Final = re.compile(
    r"\b(?:may|might|could|possibly|potentially|perhaps|probably|likely|appears?\s+to|"
    r"seems?\s+to|tend\s+to|tends\s+to|for\s+some(?:\s+\w+)?|some\s+people|in\s+some\s+(?:cases|"
    r"people))\b",
    re.IGNORECASE,
)
# A hedge right after a soft effect, in its clause ("eases nausea for some people"): the
# people it helps narrowed, not the time ("relieves pain for some time" asserts).
_HEDGE_AFTER: Final = re.compile(
    r"\W*(?:\w+\W+){0,3}?(?:for|in)\s+some\s+(?:people|users|patients|women|men|adults|"
    r"individuals|children|of\s+them|cases)\b",
    re.IGNORECASE,
)
# "Possible benefits" hedge what they name, in their own clause and linked to it ("the
# possible benefits of X include", "are", "such as"): "Possible benefits aside, the mat
# cures arthritis" asserts.
_POSSIBLE_BENEFITS: Final = re.compile(
    r"\b(?:possible|potential)\s+(?:health\s+)?(?:benefits?|effects?|advantages?|uses?)\b"
    r"(?:\s+(?:of|from|for)\b[^,]*?)?,?\s+(?:include|includes|including|are|is|such\s+as|"
    r"like)\b(?:[^,]|,(?!\s*(?:the|our|this|it|we|you|they|my)\b))*$",
    re.IGNORECASE,
)
# A claim inside a noun's modifier whose clause is hedged ("products for weight loss may
# provide benefits"): the hedge governs the claim too.
_MODIFIER_END: Final = re.compile(r"\b(?:for|of|with|against)\s+(?:\w+\s+)?$", re.IGNORECASE)
_HEDGED_VERB: Final = re.compile(r"\s*(?:\w+\s+)?(?:may|might|could)\b", re.IGNORECASE)
# An effect claimed only under a condition that carries it ("will only contribute to weight
# loss when used in conjunction with a calorie controlled diet"): the FTC's qualified claim.
_QUALIFIED: Final = re.compile(
    r"\bonly\b(?:\W+\w+){0,8}?\W+(?:when|if)\s+(?:\w+\s+){0,2}?(?:used|combined|paired|taken)\s+"
    r"(?:\w+\s+){0,2}?(?:with|alongside|in\s+conjunction|as\s+part)\b",
    re.IGNORECASE,
)
# A cure, a treatment or a reversal is no soft effect a condition can carry: "the mat only
# cures arthritis when used with a diet" claims the cure.
_CURE_VERB: Final = re.compile(
    r"\b(?:cur|treat|heal|revers|eliminat|eradicat)\w*|\bget\w*\s+rid\b", re.IGNORECASE
)
# Medical care given by its professionals ("dermatologists can treat eczema", "a few
# dermatologists offer it to treat acne"): a report of practice, not the publisher's claim
# for its product ("chiropractors use our mat to treat sciatica" stays the publisher's).
_CARE_AGENT: Final = re.compile(
    rf"\b(?:doctors|gps|physicians|clinicians|nurses|surgeons|{_PRACTITIONERS}|(?:your|a)\s+"
    r"(?:doctor|gp|physician|dermatologist|physiotherapist|physio|specialist))\b(?:\s+\w+){0,2}?\s+"
    r"(?:can|may|might|could|will|often|usually|sometimes|offer|offers|use|uses|prescribe|"
    r"prescribes|recommend|recommends)\b",
    re.IGNORECASE,
)
# Capability and frequency ("can help", "often eases") hedge only a soft effect: "can cure",
# "usually treats" and "often reverses" claim the cure as regulators read them.
_CAPABILITY: Final = re.compile(
    r"\b(?:can|typically|usually|generally|often|sometimes|commonly)\b", re.IGNORECASE
)
_FIRM_EFFECT: Final = re.compile(
    r"(?:\W+\w+){0,3}?\W+(?<!difficult\s)(?<!hard\s)(?<!difficult\sto\s)(?<!hard\sto\s)"
    r"(?:cur(?:e|es|ed|ing)|treat(?:s|ed|ing)?|revers\w*|heal(?:s|ed|ing)?|prevent\w*|"
    r"eliminat\w*|eradicat\w*|get\s+rid|rid\s+(?:you|your)|fix(?:es|ed)?|end(?:s|ed)?|"
    r"stop(?:s|ped)?|kill\w*|destroy\w*|remov\w*|restor\w*|regenerat\w*|repair\w*)\b",
    re.IGNORECASE,
)
# A genuine question, as an FAQ asks it: opening with an auxiliary ("Does the mat ...?",
# "Can acupressure ...?"). "Did you know ...?", "Want to ...?", "Who else wants ...?",
# "Why suffer ...?" and "Isn't it time ...?" are claims dressed as questions.
_QUESTION_OPENING: Final = re.compile(r"(?<!\.)(?!\.{2,}\s*[a-z])[.!?:]+(?=\s|$)|\n")
_GENUINE_QUESTION: Final = re.compile(
    r"[\W\d]*(?:q\s*[:.]\s*)?(?:(?:but|and|so|or|then|now)\s+)?(?!(?:did|do)\s+you\s+(?:know|want|wish|need)\b|"
    r"(?:are|were)\s+you\s+(?:tired|sick|ready|looking|fed\s+up|struggling|suffering|still)\b|"
    r"(?:would|could)\s+you\s+(?:like|love|want)\b|is\s+it\s+time\b)"
    r"(?:does|do|did|can|could|is|are|was|were|will|would|should|may|might|has|have|had|must)\b",
    re.IGNORECASE,
)
_MARKETED: Final = (
    r"(?:\w+\s+)?(?:promoted|marketed|advertised|sold|billed|pitched|presented|labell?ed|"
    r"branded)\s+(?:(?:and|or)\s+\w+\s+)?(?:\w+\s+){0,4}?(?:as|to|for)\b"
)
# Someone else's claim, reported at a distance: a third party making it ("the company
# claimed that", "the bracelets were promoted as", "X marketed it as", "settle charges
# that"). Anywhere in the sentence, it makes the claim reported, and no finding: it is no
# claim of the publisher's. "We claim" and "I promise" stay the publisher's own, and so do
# "sold to relieve" and "is marketed as": the publisher selling in its own voice.
_DISTANCED: Final = re.compile(
    r"(?<!\bwe\s)(?<!\bi\s)(?<!\bwe\s\s)\b(?:claim(?:s|ed|ing)?\s+(?:that|to|it|they|its|their|the)|"
    r"alleg(?:es|ed|ing|ations?)\s+(?:that|to)\b|purport(?:s|ed)?\s+to|tout|touted|touts|touting|"
    r"claims\s+(?:\w+\s+){0,2}(?:include|including|such\s+as|like|of)\b|"
    rf"(?:was|were|had\s+been)\s+{_MARKETED}|"
    r"(?<!\bwe\s)(?<!\bi\s)(?<!\bwe're\s)(?<!\bi'm\s)(?:promoted|marketed|advertised|sold|billed|"
    r"pitched|labell?ed|branded|promoting|marketing|advertising|selling|billing)\s+"
    r"(?:it|them|(?:the|its|their|these|those|such)\s+\w+)\s+(?:\w+\s+){0,3}?(?:as|to|for)\b|"
    r"charges\s+that|(?<![\w-])charged|accused|implying|implied|implies|"
    r"(?:is|are|was|were|been)\s+(?:\w+\s+)?(?:said|thought|believed|claimed|supposed|purported|"
    r"alleged|rumou?red|reputed)\s+to|"
    r"(?:stated|asserted|insisted|maintained|contended|represented)\s+that|"
    r"(?:dismiss|scoff|debunk|criticis|criticiz|ridicul)\w*\s+(?:at|as|for|that|the|these|those|"
    r"its|their|such|claims?|it|them)\b|"
    r"(?:challenged|offending|disputed|contested)\s+(?:products?|claims?|ads?|adverts?|"
    r"advertisements?|advertising|listings?|websites?))",
    re.IGNORECASE,
)
# Marketing retold from a third party ("these insoles have been marketed to patients as",
# "they promote the BioMag as", "the defendants advertised"), and what others swear by:
# someone else's claim only when the sentence names no product of the publisher's ("the
# SpikeRest mat has been marketed to runners as" is the shop's own pitch).
_RETOLD_MARKETING: Final = re.compile(
    rf"\b(?:has|have)\s+been\s+{_MARKETED}|"
    r"\b(?:they|sellers|brands|companies|firms|manufacturers|makers|marketers|retailers|"
    r"advertisers)\s+(?:\w+\s+){0,2}?(?:promote|market|advertise|tout|pitch|bill)\s+"
    r"(?:it|them|(?:the|its|their|these|those|such)\s+\w+)\s+(?:\w+\s+){0,3}?as\b|"
    r"\bdefendants?\s+(?:\w+\s+){0,2}(?:advertised|marketed|promoted|touted|sold|"
    r"represented|pitched)\b",
    re.IGNORECASE,
)
_SWORN_BY: Final = re.compile(
    r"\b(?:others|devotees|fans|enthusiasts)\s+(?:\w+\s+){0,2}?(?:swear|swears|swore)\b(?!\s+by\b)",
    re.IGNORECASE,
)
# Proof words whose "that" clause denies an effect ("studies have proven that magnetic
# insoles do not work", "it was shown that there were no benefits"); not a proof that
# people "do not get migraines" or "do not need painkillers", which claims the effect.
_PROOF_WORDS: Final = re.compile(
    r"\b(?:proven|proved|shown|found|demonstrated|confirmed|shows?|proves?)(?:\s+that)?\s*$",
    re.IGNORECASE,
)
# A rival's failure beside the product ("pills can't cure sciatica like the mat").
_COMPARED: Final = re.compile(
    r"\b(?:like|unlike|as\s+well\s+as|the\s+way|than|compared|whereas)\b", re.IGNORECASE
)
_PROOF_DENIED: Final = re.compile(
    r"^\s*(?:that\s+)?there\s+(?:is|are|was|were)\s+no\b(?!\s+doubt)|"
    r"^\s*(?:that\s+)?(?:\w+\s+){0,4}?(?:(?:do|does|did|could)(?:\s+not|n['\u2019]t)|"
    r"can(?:not|['\u2019]t|\s+not)|will\s+not|won['\u2019]t)\s+(?:work|help|relieve|reduce|"
    r"improve|ease|cure|treat|prevent|affect|benefit|change|have\s+(?:any|an)\s+effect|make\s+"
    r"(?:any\s+|a\s+)?difference)\b",
    re.IGNORECASE,
)
# The market reported in the present ("magnetic bracelets are marketed as", "is still being
# sold as"): others' claims, unless the publisher's own goods ("our mats are marketed as").
_MARKET_REPORT: Final = re.compile(
    rf"\b(?:are|being)\s+{_MARKETED}|\b(?:are|being)\s+(?:\w+\s+){{1,4}}(?:promoted|marketed|"
    r"advertised|billed|pitched|touted)\s+as\b",
    re.IGNORECASE,
)
# Goods the publisher may be naming, however it names them: a product phrase with any
# determiner and up to two words between ("the acupressure mat", "these insoles"), mats,
# mattresses, spikes and sets (what this publisher sells) however written, the brand,
# "it", "this", "our". A cue that
# reads a claim as someone else's (retold marketing, what others swear) holds only where
# none of these stands in the sentence.
_NAMES_GOODS: Final = re.compile(
    rf"\b(?:the|this|these|those|your|our|my)\s+(?:[\w-]+\s+){{0,2}}?{_PRODUCT_NOUN}\b|"
    r"\b(?:mats?|mattress(?:es)?|spikes?|rollers?|sets?)\b|\bspike\s*rest\b|\b(?:it|this|our|my)\b|"
    r"(?<=\w\s)(?-i:[A-Z])[\w-]*\s+"
    rf"{_PRODUCT_NOUN}\b",
    re.IGNORECASE,
)
# "Our" and "my" name the publisher's goods, unless they name everyone's body ("affects
# our internal clock", "my back"), but not a product named after one ("our foot pads", "our
# sleep mat", "our skin cream"). The one notion of "ours": "ours", "the mats we sell",
# "and our mat ...", a definite product phrase and the publisher as "we" build on it.
_OUR: Final = (
    r"\b(?:our|my)\b(?!\s+(?:own\s+)?(?:bod(?:y|ies)|brains?|internal|natural|immune|nervous|"
    r"skin|muscles?|health|minds?|hearts?|blood|cells|sleep|lives|life|organs?|joints?|bones?|"
    r"spines?|backs?|feet|foot|hands?|heads?|necks?|digestive|gut|guts|hormones?|metabolism|"
    r"circadian|senses|eyes|ears|bloodstream|system|systems|species|patients|understanding|"
    rf"knowledge)\b(?!\s+(?:[\w-]+\s+)?{_PRODUCT_NOUN}\b))"
)
_OWN_PRODUCT: Final = re.compile(_OUR, re.IGNORECASE)
# The publisher in the first person, itself or its goods ("we", "us", "our foot baths"):
# wider than ``_OWN_PRODUCT``, for the cues that only ask whether the publisher is there.
_PUBLISHER: Final = re.compile(r"\b(?:our|my|we|us)\b", re.IGNORECASE)
_RESEARCH_SPEAKS: Final = re.compile(rf"\b{_STUDY_NOUN}\b", re.IGNORECASE)
# Adverbs that distance a claim, within its own clause ("were falsely promoted as").
_DISTANCING_ADVERB: Final = re.compile(
    r"\b(?:allegedly|purportedly|reportedly|supposedly|ostensibly|falsely|deceptively|"
    r"misleadingly|baselessly)\b",
    re.IGNORECASE,
)
_ALLEGED: Final = re.compile(
    r"\b(?:alleged|supposed|purported|so-called|claimed|touted|putative)\b", re.IGNORECASE
)
# A regulator, court or agency as the subject of a statement or finding, before the claim:
# "The Agency states", "the Court held", "the FTC found". Not "approved", "cleared" or
# "authorised": "FDA-cleared" and "the FDA approved it" are the seller's selling points.
_BODY_SPEAKS: Final = re.compile(
    rf"\b{_BODY}(?:\s*\((?-i:[A-Z]+)\))?(?:['\u2019]s)?(?:[\s,]+(?-i:[a-z][\w-]*)){{0,3}}?[\s,]+"
    r"(?:has\s+|have\s+|had\s+)?(?:(?:not|never)\s+(?:approved|cleared|authori[sz]ed|evaluated)|"
    r"approved\s+only|acknowledged|accepted|advises?|advised|recommends?|recommended|reminds?|reminded|"
    r"urges?|urged|highlighted|warns?|warned|rules?|ruled|held|holds|concluded|concludes|found|"
    r"finds|states?|stated|says?|said|considered|considers|noted|notes|requires?|required|"
    r"prohibit(?:s|ed)?|told|asked|ordered|banned|challenged|investigated|charged|sued|fined|"
    r"alleged|alleges|accused|determined|maintains|explains?|explained|reported|reports|"
    r"announced|issued|objected|disagreed|judged)\b",
    re.IGNORECASE,
)
# The same in the passive ("limited by the agency to", "banned by the FTC"); "approved by"
# and "cleared by" are selling points, as above.
_BODY_PASSIVE: Final = re.compile(
    r"\b(?:limited|restricted|permitted|allowed|accepted|prohibited|banned|challenged|ruled|"
    rf"considered|found|judged|investigated|critici[sz]ed|upheld|rejected)\s+by\s+{_BODY}",
    re.IGNORECASE,
)
# A regulator approving a class of other people's devices ("the FDA has approved some PEMF
# devices", "these devices") reports what it allows; "approved our mat" sells, and so does
# a class that takes the publisher's in ("some devices, including our mat").
_CLASS_APPROVAL: Final = re.compile(
    rf"\b{_BODY}(?:\s*\((?-i:[A-Z]+)\))?(?:[\s,]+(?-i:[a-z][\w-]*)){{0,3}}?[\s,]+"
    r"(?:has\s+|have\s+|had\s+)?(?:approved|cleared|authori[sz]ed)\s+(?:only\s+)?(?:some|these|"
    r"those|such|certain|several|a\s+few|few)\b",
    re.IGNORECASE,
)
# The publisher's goods taken into a class others' claims are about ("devices promising
# to cure arthritis, like the SpikeRest mat", "some devices, including our mat").
_INCLUDES_OURS: Final = re.compile(
    r"\b(?:including|such\s+as|like|among\s+them)\s+(?:our\b|ours\b|my\b|(?:the\s+)?(?-i:[A-Z]))",
    re.IGNORECASE,
)
# Goods "promising to" cure, named as a class of others' ("magnetic devices, promising
# to"): a report at a distance. The publisher's own ("the SpikeRest mat, promising to",
# "our mat is promising to") is its own promise.
_PROMISING: Final = re.compile(
    r"\b(?!(?:is|was|has|this|its|us|thus|yes)\b)\w+s,?\s+promising\s+to\b", re.IGNORECASE
)
# "Ours" and "the mats we sell" are the publisher's goods as "our mat" is.
_WE_SELL: Final = re.compile(r"\bours\b|\bwe\s+(?:sell|make|offer|stock)\b", re.IGNORECASE)
_DEFINITE_PRODUCT: Final = re.compile(
    r"\b(?:(?:the|this|these|your)\s+(?:new\s+|(?-i:[A-Z])[\w-]*\s+){0,2}|"
    rf"(?<![\w-])(?-i:[A-Z])[\w-]*['\u2019]s\s+(?:new\s+)?){_PRODUCT_NOUN}\b|{_WE_SELL.pattern}",
    re.IGNORECASE,
)
# The reports that a definite product keeps from silence: a trade's belief, a complainant's
# view and a regulator's finding in the passive ("the mat was found by the agency to").
_SILENCED_BY_PRACTICE: Final = re.compile(
    rf"\b{_PRACTITIONERS}\b|\bcomplainants?\b|\b(?:limited|restricted|permitted|allowed|"
    r"accepted|found|judged|considered)\s+by\b",
    re.IGNORECASE,
)
# "It" as the claim's subject ("reflexologists believe it cures arthritis").
_IT_SUBJECT: Final = re.compile(
    r"\bit\s+(?:(?:will|would|can|does|really|actually|also|still)\s+)?$", re.IGNORECASE
)
# "The mat, which reflexologists believe cures": the relative clause's antecedent.
_ANTECEDENT: Final = re.compile(rf"{_DEFINITE_PRODUCT.pattern}(?=\s*,\s*which\b)", re.IGNORECASE)
# The publisher taking others' claim as its own: "as we do", "so do we", "and they are
# right", "which it is", "and it did", "we agree", "ours does", "the mat really does".
_ADOPTED: Final = re.compile(
    r"\bas\s+(?:we|i)\s+do\b|\bso\s+do\s+(?:we|i)\b|\bthey(?:['\u2019]re|\s+are)\s+(?:right|correct)\b|"
    r"\bwhich\s+(?:it|they)\s+(?:is|are|does|do)\b(?!\s+not)|\band\s+(?:it|they)\s+(?:really\s+|"
    r"truly\s+|actually\s+)?(?:did|does|will)\b(?!\s+not)|\b(?:we|i)\s+(?:fully\s+)?agree\b|"
    r"\bours\s+(?:really\s+|actually\s+|truly\s+)?(?:does|did|do|will|can)\b(?!\s+not)|"
    r"\b(?:really|actually|truly)\s+(?:does|did)\b(?!\s+not)|\bour\s+own\s+team\b",
    re.IGNORECASE,
)
# "Reflexologists believe ..., and our mat delivers it": the publisher ties its product in.
_AND_OURS: Final = re.compile(rf"\b(?:and|so)\s+{_OUR}\s+\w+", re.IGNORECASE)
# A passive assessment ("acupressure is considered a cure"), a report when it governs the
# claim: not past "and" and a verb of its own ("is considered safe and cures migraines"),
# and not a bare one about a definite product ("the mat is considered effective"), which
# is the publisher's assessment in the passive.
_CONSIDERED: Final = re.compile(
    r"\b(?:is|are|was|were|being)\s+(?:\w+\s+){0,2}?(?:considered|regarded|deemed)\b"
    r"(?P<by>\s+by\b)?",
    re.IGNORECASE,
)
_COORDINATED: Final = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)
# A negation's reach ends at a relative clause ("the mat which cures"), at "and" with a
# new subject ("We don't sell drugs and we promise ...") and at the publisher's promise.
# A new clause after a comma, with its own subject and verb ("..., it is the cure for
# back pain", "..., it cures sciatica anyway"): no negation or caution reaches it.
_SPLICED_CLAUSE: Final = (
    r",\s*(?=(?:it|this|they|we|our\s+\w+|the\s+\w+)\s+(?:(?:[\w-]+\s+){0,2}?(?:works?|cures?|"
    r"relieves?|eases?|heals?|treats?|helps?|ends?|fixes)|(?:is|are)\s+(?:the|a|an)\s+(?:\w+\s+)?"
    r"(?:cure|treatment|answer|remedy|solution))\b)"
)
_NEGATION_BREAK: Final = re.compile(
    rf"{_SPLICED_CLAUSE}|\b{_PRODUCT_NOUN},?\s+which\b|\b(?:and|but|yet|so)(?=\s+(?:we|i|you|it|our|the|this|they|there)\b)|"
    r"\b(?:we|i)\s+(?:promise|guarantee|swear|claim)\b|"
    # "Does nothing except cure back pain": what the exception keeps is asserted, when it
    # is the claim itself ("Nothing except time cures a sprain" still denies).
    r"\b(?:except|apart\s+from|other\s+than|besides|save\s+for)(?:\s+to)?\W*$",
    re.IGNORECASE,
)
# An organisation that is no regulator, court or agency of the list above, speaking for the
# claim ("The Spinal Wellness Institute says ..."): an endorsement, and an advertiser's
# endorsements are its own claims (the FTC's Endorsement Guides), as its customers' are.
_ENDORSER: Final = re.compile(
    r"\b(?:(?i:according\s+to)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]+\s+){1,5}(?:Society|Institute|"
    r"Association|College|Council|Foundation|Academy|Clinic|Centre|Center|Organi[sz]ation|"
    r"Board|Laborator(?:y|ies)|Labs?|Group|Network)\b|(?:[A-Z][\w'\u2019-]+\s+){1,5}(?:Society|Institute|Association|College|Council|"
    r"Foundation|Academy|Clinic|Centre|Center|Organi[sz]ation|Board|Laborator(?:y|ies)|Labs?|"
    r"Group|Network)(?:['\u2019]s)?(?:\s+[a-z]\w*){0,2}?\s+(?:recommends?|recommended|says?|said|"
    r"found|finds|states?|stated|advises?|advised|endorses?|endorsed|confirms?|confirmed|"
    r"reports?|reported|concluded|concludes|agrees?|agreed|backs|backed|notes|noted)\b)"
)
# The product speaking is the publisher speaking: "our mat claims to", "it promises to".
_OWN_CLAIM: Final = re.compile(
    r"\b(?:(?:our|this|my)\s+(?:\w+\s+){0,2}?|it\s+)(?:claims?|promises?)\s+to\b", re.IGNORECASE
)
# "What you were told" is the publisher's foil, not a report of what someone said.
_TOLD_YOU: Final = re.compile(
    r"\byou(?:['\u2019]ve|['\u2019]re|\s+(?:were|are|have\s+been|had\s+been|get|got))\s+"
    r"(?:\w+\s+)?told\b",
    re.IGNORECASE,
)
# An attribution trailing the claim (", the paper says"): the publisher states the claim
# first, so it reports only when it names its study or is an authority.
_TRAILING_ATTRIBUTION: Final = re.compile(
    r",\s*(?:according\s+to\s+(?:\w+\s+){0,3}?\w+|(?:\w+\s+){0,3}?\w+\s+(?:says|said|notes|"
    r"noted|reports|reported|writes|wrote|found|finds|claims|claimed|explains|explained|adds|"
    r"added|suggests|suggested|shows|showed))\s*$",
    re.IGNORECASE,
)
# What names a study or a speaker in a trailing attribution: not "the paper" alone.
_NAMED_SPEAKER: Final = re.compile(rf"\b(?:{_NAMED_IN_FULL}|dr|prof|professor)\b", re.IGNORECASE)
_QUOTES: Final = re.compile(
    r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|\u2018[^\u2019\n]*\u2019|(?<!\w)'[^'\n]*'(?!\w)"
)
_QUOTE_ATTRIBUTION: Final = re.compile(
    r"\b(?:sellers|brands|marketers|retailers|companies|ads|adverts|advertisers|websites|"
    r"sites|listings|others|influencers|manufacturers)\b[^.!?\n]*$|"
    r"\b(?:so-called|marketed as|advertised as|sold as|billed as|claims? (?:that|of|to)|"
    r"promises? (?:that|of)|that mats|that they|fraudulent|fake|bogus)\s*\S*\s*$",
    re.IGNORECASE,
)


def clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause's text before and after ``text[start:end]``."""
    before = text[:start]
    ends = list(CLAUSE_END.finditer(before))
    if ends:
        opened = ends[-1]
        before = before[opened.end() :]
        if _SUBORDINATOR.fullmatch(opened.group()):
            before = _after_subordinate(before)
    after = text[end:]
    found = CLAUSE_END.search(after)
    return before, after[: found.start()] if found else after


# A subordinate clause that opens a sentence ("While we make no medical claims, ...",
# "Although it is not a cure, ...") ends at its comma: its negation, hedge or denial is
# not the main clause's, so "Although it is not a cure, it relieves back pain" asserts.
_SUBORDINATOR: Final = re.compile(r"although|though|while|whereas", re.IGNORECASE)
_OPENING_SUBORDINATE: Final = re.compile(
    r"^\W*(?:although|though|even\s+though|while|whilst|whereas)\b[^,]*,", re.IGNORECASE
)


# What continues a list inside the subordinate clause rather than starting the main one
# ("While there is some evidence of benefits, including reduced blood pressure, ...").
_CONTINUES: Final = re.compile(
    r"\s*(?:including|such\s+as|like|especially|particularly|notably|for\s+example|e\.g\.|"
    r"i\.e\.|and|or|as\s+well\s+as)\b",
    re.IGNORECASE,
)


def _after_subordinate(before: str) -> str:
    """The main clause's part of ``before``, after the subordinate clause's last comma
    (``before`` as it is when there is none, or when a list goes on after it)."""
    comma = before.rfind(",")
    if comma < 0 or _CONTINUES.match(before, comma + 1):
        return before
    return before[comma + 1 :]


def _main_frame(frame: str) -> str:
    """``frame`` without a subordinate clause that opens it."""
    return _after_subordinate(frame) if _OPENING_SUBORDINATE.match(frame) else frame


# A denying frame's reach ends at a semicolon or colon, and where a new clause joins with
# a comma and a new subject, a product among them ("There is no evidence that magnets
# work, and the mat cures sciatica"); without the comma, "and" more often joins what the
# frame denies ("no evidence that acupressure and the mat relieve pain").
_FRAME_BREAK: Final = re.compile(
    rf"[;:]|,\s*(?:and|so|yet|plus)\s+(?=(?:we|i|you|it|our|my|this|these|they)\b|"
    rf"(?:the\s+)?(?:(?-i:[A-Z])[\w-]*\s+){{0,2}}{_PRODUCT_NOUN}\b)",
    re.IGNORECASE,
)


# A caution's reach ends at a comma and "and" or "then", or at "and" before a new subject:
# "Talk to your doctor first, then let our mat cure your sciatica" and "Stop using your
# old pillow and let our mat cure your back pain" caution nothing about the cure.
_CAUTION_BREAK: Final = re.compile(
    rf"{_SPLICED_CLAUSE}|,\s*(?:and|so|then|as|which)\b|\s[-\u2013\u2014]\s|\b(?:because|since|"
    r"who|which)\b|\b(?:and|so|then)\s+(?=(?:let|we|i|it|our|my|this|these|they|put|use|lie|"
    r"try|get|start)\b)",
    re.IGNORECASE,
)


def _caution_reach(before: str, words: str, after: str) -> str:
    """The claim's clause as far as a caution in it reaches the claim's ``words``: from the
    last break before them to the first after (breaks are found in the whole clause, as a
    comma splice is known by the verb after it)."""
    text = f"{before}{words}{after}"
    start, end = len(before), len(before) + len(words)
    first, last = 0, len(text)
    for found in _CAUTION_BREAK.finditer(text):
        if found.end() <= start:
            first = found.end()
        elif found.start() >= end:
            last = found.start()
            break
    return text[first:last]


def _after_last(breaks: re.Pattern[str], text: str) -> str:
    """``text`` after the last match of ``breaks`` in it (all of it when none): the part a
    cue before the claim can still reach."""
    found = list(breaks.finditer(text))
    return text[found[-1].end() :] if found else text


def _sentence(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence's text before ``start`` up to a contrast word, and after ``end``."""
    before = _after_last(_CONTRAST, _after_last(SENTENCE_END, text[:start]))
    after = text[end:]
    found = SENTENCE_END.search(after)
    return before, after[: found.start()] if found else after


@attrs.frozen(kw_only=True)
class Claim:
    """Candidate claim words ``text[start:end]`` with their clause and sentence, found
    once for both the status and the level (each is a scan of the text before them)."""

    text: str
    start: int
    end: int
    before: str
    """The clause before the words."""
    after: str
    """The clause after them."""
    frame: str
    """The sentence before them, up to a contrast word."""
    rest: str
    """The sentence after them."""
    question: bool = False
    """Whether the sentence is a genuine question: it ends with a question mark and opens
    with an auxiliary, as an FAQ asks."""

    @classmethod
    def at(cls, text: str, start: int, end: int) -> Claim:
        """The claim ``text[start:end]`` in its clause and sentence."""
        before, after = clause(text, start, end)
        frame, rest = _sentence(text, start, end)
        ends = end + len(rest)
        asks = text[ends : ends + 1] == "?" or text[:ends].rstrip().endswith("?")
        openings = list(_QUESTION_OPENING.finditer(text, 0, start))
        opening = openings[-1].end() if openings else 0
        question = asks and bool(_GENUINE_QUESTION.match(text, opening))
        return cls(
            text=text,
            start=start,
            end=end,
            before=before,
            after=after,
            frame=frame,
            rest=rest,
            question=question,
        )

    @property
    def words(self) -> str:
        """The claim words themselves."""
        return self.text[self.start : self.end]


def status_of(claim: Claim, *, quoted_counts: bool = False, denials: bool = True) -> ClaimStatus:
    """The status of ``claim``; ``quoted_counts`` when a claim in quotation marks is the
    publisher's even if attributed (rules that say so); without ``denials`` for a rule
    whose claim is itself a negation ("no need for painkillers"): a denial cue is then no
    denial, but the claim may still be reported, cautioned or hedged ("the company
    claimed that the garments were more effective than drugs" is reported)."""
    before, after, frame = claim.before, claim.after, claim.frame
    if denials and (
        _negated(before)
        or _DENIED_AFTER.search(after)
        or (_WHETHER.search(before) and _CONTROVERSY_AFTER.search(after))
        or _DENYING_FRAME.search(_after_last(_FRAME_BREAK, _main_frame(frame)))
        or _COUNTERFACTUAL.search(before)
        or (
            _PROOF_WORDS.search(claim.words)
            and _PROOF_DENIED.search(after)
            and not _COMPARED.search(after)
            and not _NAMES_GOODS.search(after)
        )
    ):
        return ClaimStatus.DENIED
    # A caution holds for its own clause, the claim's words included ("treatments can
    # interfere with ..."): "it cures sciatica; talk to your doctor" still asserts.
    # Not when the claim's own words deny the caution ("there are no contraindications",
    # "without side effects"): that denial is the safety claim itself.
    words = "" if _DENIES_CAUTION.match(claim.words) else claim.words
    if _CAUTION.search(_caution_reach(before, words, after)):
        return ClaimStatus.CAUTIONED
    # An attribution may stand anywhere in the sentence ("people ... have reported").
    rest = claim.rest
    trailing = _TRAILING_ATTRIBUTION.search(rest)
    if trailing and not (
        _NAMED_SPEAKER.search(trailing.group()) or _AUTHORITY.search(trailing.group())
    ):
        rest = rest[: trailing.start()]
    sentence = _TOLD_YOU.sub(" ", f"{frame}{claim.words}{rest}")
    adopted = _ADOPTED.search(f"{frame}{claim.words}{claim.rest}")
    endorser = _ENDORSER.search(frame)
    endorsed = endorser and not _AUTHORITY.search(endorser.group()) and not _body_speaks(claim)
    if (
        not quoted_counts
        and not endorsed
        and not _OWN_CLAIM.search(frame)
        and not adopted
        and (
            _ATTRIBUTED.search(sentence)
            or _SPEECH.search(sentence)
            or _CLAUSE_REPORT.search(f"{before}{claim.words}{after}")
            or _distanced(claim)
            or (_SWORN_BY.search(sentence) and not _names_shops_goods(sentence))
            or _body_speaks(claim)
            or _attributed_quote(claim.text, claim.start, claim.end)
            or _considered(claim)
            or (_CARE_AGENT.search(before) and not _publisher_in(sentence))
        )
    ):
        return ClaimStatus.REPORTED
    # A hedge inside the claim's words counts too: a near match may span it ("cartilage,
    # ingesting glucosamine might nourish").
    # A genuine question asks rather than claims: at most a warning, as a hedge is.
    modified = _MODIFIER_END.search(before) and _HEDGED_VERB.match(after)
    # A condition or a hedge after the words narrows a soft effect, never a cure.
    soft = not _CURE_VERB.search(claim.words)
    qualified = soft and _QUALIFIED.search(f"{before}{claim.words}{after}")
    if (
        _HEDGE.search(before)
        or _HEDGE.search(claim.words)
        or (soft and _HEDGE_AFTER.match(after))
        or _POSSIBLE_BENEFITS.search(before)
        or _capable(claim)
        or claim.question
        or modified
        or qualified
    ):
        return ClaimStatus.HEDGED
    return ClaimStatus.ASSERTED


def _capable(claim: Claim) -> bool:
    """Whether a capability or frequency hedge softens the claim: "can help relieve", not
    "can cure" (a firm effect after the hedge keeps the claim asserted)."""
    words = f"{claim.before}{claim.words}"
    hedges = list(_CAPABILITY.finditer(words))
    return bool(hedges) and not _FIRM_EFFECT.match(words, hedges[-1].end())


def level_for(status: ClaimStatus, rule_level: Level, claim: Claim) -> Level | None:
    """The finding's level for ``claim`` of ``status`` (None: no finding): the rule's own
    when asserted; a warning when hedged or reported without a named study or authority;
    nothing when denied, cautioned, or reported from a named study or an authority."""
    if status is ClaimStatus.ASSERTED:
        return rule_level
    if status in (ClaimStatus.DENIED, ClaimStatus.CAUTIONED):
        return None
    sentence = f"{claim.frame} {claim.words} {claim.rest}"
    if _NAMES_A_STUDY.search(sentence):
        return None
    own_product = (
        _OWN_PRODUCT.search(claim.before)
        or _WE_SELL.search(claim.before)
        or _AND_OURS.search(claim.rest)
    )
    # Hearsay about the publisher's own product, from anyone but a listed authority
    # ("physiotherapists say our mat cures", "our mat is said to cure", "our mat is
    # considered safe and cures"), is an endorsement, and an advertiser's endorsements are
    # its own claims (the FTC's Endorsement Guides): the rule's level, as asserted.
    # An appeal to research in general stays a warning that asks for the study (issue 37).
    if (
        own_product
        and status is ClaimStatus.REPORTED
        and not _AUTHORITY.search(sentence)
        and not _body_speaks(claim)
        and not _RESEARCH_SPEAKS.search(claim.frame)
    ):
        return rule_level
    # A listed authority's report on the publisher's own product ("the WHO says our mat
    # cures") is silent only with its study named: the linter cannot check it said so.
    if (
        status is ClaimStatus.REPORTED
        and not own_product
        and not (
            _definite_product(claim)
            and _SILENCED_BY_PRACTICE.search(f"{claim.frame}{claim.words}{claim.rest}")
        )
        and (
            _AUTHORITY.search(sentence)
            or _OTHERS_CLAIM.search(claim.frame)
            or _distanced(claim)
            or _body_speaks(claim)
        )
    ):
        return None
    return Level.WARNING if rule_level is Level.ERROR else None


def _names_shops_goods(text: str) -> bool:
    """Whether ``text`` may name the publisher or its goods, however it names them: a cue
    that reads a claim as someone else's holds only where this is false."""
    return _publisher_in(text) or bool(_NAMES_GOODS.search(text))


def _publisher_in(text: str, *, definite: bool = True) -> bool:
    """Whether ``text`` names the publisher ("we", "us", "our", "my") or, with
    ``definite``, a definite product phrase ("the mat", "ours", "the mats we sell"): "the
    products are promoted as" reports a market, "our mats are promoted as" does not."""
    if _PUBLISHER.search(text):
        return True
    return definite and bool(_DEFINITE_PRODUCT.search(text))


def _definite_product(claim: Claim) -> bool:
    """Whether the claim is about a definite product ("the mat", "this tea", "it"), which
    may be the publisher's: a report about it is never silent."""
    return bool(
        _DEFINITE_PRODUCT.search(claim.before)
        or _IT_SUBJECT.search(claim.before)
        or _ANTECEDENT.search(claim.frame)
    )


def _considered(claim: Claim) -> bool:
    """Whether a passive assessment in the claim's clause reports it (see ``_CONSIDERED``)."""
    assessments = list(_CONSIDERED.finditer(claim.before))
    if not assessments:
        return False
    found = assessments[-1]
    subject = claim.before[: found.start()]
    # Hearsay about "our mat" is the publisher's endorsement whatever it reaches (an
    # error either way, see ``level_for``); for anything else the frame ends at "and".
    if _COORDINATED.search(claim.before, found.end()):
        return bool(_OWN_PRODUCT.search(subject))
    return bool(found.group("by")) or not _DEFINITE_PRODUCT.search(subject)


def _distanced(claim: Claim) -> bool:
    """Whether the sentence reports the claim as someone else's, at a distance (before
    the claim, or after it: "Miracle Mineral Solution ... has been falsely promoted"), or
    the claim's own words call it alleged ("numerous alleged health benefits")."""
    sentence = f"{claim.frame}{claim.words}{claim.rest}"
    return bool(
        _DISTANCED.search(claim.frame)
        or _DISTANCED.search(claim.rest)
        or _DISTANCING_ADVERB.search(f"{claim.before}{claim.words}{claim.after}")
        or (_MARKET_REPORT.search(sentence) and not _publisher_in(sentence, definite=False))
        or _ALLEGED.search(claim.words)
        or (_RETOLD_MARKETING.search(sentence) and not _names_shops_goods(sentence))
        or (
            _PROMISING.search(claim.frame)
            and not _INCLUDES_OURS.search(f"{claim.frame}{claim.words}{claim.rest}")
        )
    )


def _body_speaks(claim: Claim) -> bool:
    """Whether a regulator, court or agency is the subject of a statement or finding that
    frames the claim ("The ASA ruled that ..."); the claim's own words are left out, so
    "Our mat is FDA approved" is no regulator speaking."""
    framed = f"{claim.frame}{claim.words}"
    return bool(
        _BODY_SPEAKS.search(framed)
        or _BODY_PASSIVE.search(framed)
        or (_CLASS_APPROVAL.search(framed) and not _INCLUDES_OURS.search(f"{framed}{claim.rest}"))
    )


def _own_voice(words: list[str], index: int) -> bool:
    """Whether ``words[index]`` ("claims", "promises") is the product speaking: "our mat
    promises", "this mat claims", "it promises to"."""
    previous = words[max(index - 2, 0) : index]
    follows = words[index + 1 : index + 2]
    return bool(_OWN_SUBJECT.intersection(previous)) or (
        previous[-1:] == ["it"] and follows == ["to"]
    )


def _negated(before: str) -> bool:
    cleaned = _after_last(_NEGATION_BREAK, _NOT_A_NEGATION.sub(" ", before))
    words = [w.lower() for w in WORD.findall(cleaned)][-_NEGATION_WINDOW:]
    for index, word in enumerate(words):
        if word.replace("\u2019", "'") in _NEGATORS:
            return True
        if word in _DISTANCING and (index == 0 or words[index - 1] not in _FIRST_PERSON):
            if word in _SPEAKING_VERBS and _own_voice(words, index):
                continue
            return True
    return False


def _attributed_quote(text: str, start: int, end: int) -> bool:
    for quote in _QUOTES.finditer(text):
        if quote.start() <= start and end <= quote.end():
            line_start = text.rfind("\n", 0, quote.start()) + 1
            return bool(_QUOTE_ATTRIBUTION.search(text[line_start : quote.start()]))
    return False
