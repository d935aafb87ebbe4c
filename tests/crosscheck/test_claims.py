"""Claim checking: features, the shipped model, evidence sentences, pluggable stance models."""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.crosscheck import claims
from storydesk.models import ClaimStance

CLAIM = "Mayor Ann Lee resigns after budget scandal"
AGREE = (
    "Mayor Ann Lee resigned on Monday after the budget scandal. The city council confirmed the resignation "
    "in a statement. Lee had led the city for six years. The budget scandal began in March when auditors "
    "found missing funds. Lee said she resigned to spare the city further turmoil."
)
DISAGREE = (
    "Reports that Mayor Ann Lee resigns after the budget scandal are false, her office said. "
    "The mayor denied she would resign and called the story a hoax. Lee has not resigned and remains "
    "in office. Her spokesman said the rumour was fabricated and untrue."
)
UNRELATED = (
    "The football club won the cup final on penalties after a goalless draw. Fans celebrated in the square "
    "until late at night. The coach praised the goalkeeper, who saved three penalties."
)


def test_features_are_named_and_sized() -> None:
    values = claims.features(CLAIM, AGREE)
    assert len(values) == len(claims.FEATURES)
    names = dict(zip(claims.FEATURES, values, strict=True))
    assert names["coverage"] == 1.0
    assert claims.features(CLAIM, UNRELATED)[0] == 0.0
    assert dict(zip(claims.FEATURES, claims.features(CLAIM, DISAGREE), strict=True))["refuting_near"] > 0


def test_shipped_model_tells_related_from_unrelated_and_refutation() -> None:
    assert claims.check(CLAIM, UNRELATED).stance == "unrelated"
    assert claims.check(CLAIM, AGREE).stance != "unrelated"
    assert claims.check(CLAIM, DISAGREE).stance == "disagree"


def test_evidence_is_the_sentences_covering_the_claim_with_exact_spans() -> None:
    result = claims.check(CLAIM, AGREE)
    assert result.evidence
    assert all(AGREE[e.span[0] : e.span[1]] == e.text for e in result.evidence)
    assert "resigned" in result.evidence[0].text
    assert claims.check(CLAIM, UNRELATED).evidence == []


class Always:
    """A stand-in stance model: the slot a sentence-level model will fill."""

    def __init__(self, stance: ClaimStance) -> None:
        self.stance = stance
        self.calls = 0

    def predict(self, features: Sequence[Sequence[float]]) -> list[ClaimStance]:
        self.calls += 1
        return [self.stance for _ in features]


def test_another_stance_model_plugs_in_and_is_called_once_per_batch() -> None:
    model = Always("discuss")
    results = claims.check_many([(CLAIM, AGREE), (CLAIM, DISAGREE)], model)
    assert [r.stance for r in results] == ["discuss", "discuss"] and model.calls == 1
    assert claims.check_many([], model) == []


def test_empty_claim_or_text_is_unrelated() -> None:
    assert claims.check("", AGREE).stance == "unrelated"
    assert claims.check(CLAIM, "").stance == "unrelated"


def test_a_one_sentence_text_is_placed_by_the_sentence_stance_model() -> None:
    from storydesk.crosscheck import claims, stance

    claim = "Climate change/global warming is a serious concern."
    sentence = "Rising seas and record heat show that global warming is a grave threat we must act on now."
    expected = claims.SENTENCE_TO_CLAIM[stance.sentence_stance(claim, sentence)[0]]
    assert claims.check_many([(claim, sentence)])[0].stance == expected


# Short claims read for truth, not for the words they share with the text: each text below
# shares the claim's key words, and only what it says of them decides.
RELEASE_CLAIM = "Police released the opposition leader without charges."
DETAINED = (
    "Police detained the opposition leader on Saturday after the march. He was still being held in a cell "
    "at the central station on Sunday, his lawyer said. Prosecutors said charges would be filed on Monday."
)
RELEASED = (
    "Police released the opposition leader on Saturday without charging him. A police spokesman confirmed "
    "that no charges would be brought. The leader thanked his supporters outside the station."
)
RUMOURED = (
    "Supporters of the opposition leader gathered outside the central station on Saturday. Some said they had "
    "heard he might be released without charges, but police would not say. His lawyer was not allowed to see him."
)


def test_a_claim_the_text_contradicts_is_disputed() -> None:
    assert claims.check(RELEASE_CLAIM, DETAINED).stance == "disagree"


def test_a_claim_the_text_reports_is_supported() -> None:
    assert claims.check(RELEASE_CLAIM, RELEASED).stance == "agree"


def test_a_claim_the_text_only_mentions_is_discussed() -> None:
    assert claims.check(RELEASE_CLAIM, RUMOURED).stance == "discuss"


def test_the_pair_model_reads_the_claim_against_the_best_sentences() -> None:
    names = dict(zip(claims.FEATURES, claims.features(RELEASE_CLAIM, RELEASED), strict=True))
    assert set(claims.PAIR_FEATURES) <= set(names)
    assert 0.0 <= names["pair_same"] <= 1.0 and names["pair_unrelated"] < 0.5
    assert [v for k, v in names.items() if k in claims.PAIR_FEATURES] != list(claims.NO_READING)
    unrelated = dict(zip(claims.FEATURES, claims.features(RELEASE_CLAIM, UNRELATED), strict=True))
    assert tuple(unrelated[k] for k in claims.PAIR_FEATURES) == claims.NO_READING


RATES = "The central bank raised interest rates on Thursday."
QUAKE = "The earthquake killed 40 people in the north of the country."
SHORT_TEXTS: list[tuple[str, str, ClaimStance]] = [
    (
        RATES,
        "The central bank lowered interest rates on Thursday, surprising markets. The governor said inflation "
        "had eased. Banks are expected to pass on the cut to borrowers.",
        "disagree",
    ),
    (
        RATES,
        "The central bank denied reports that it had raised interest rates on Thursday. A spokesman said rates "
        "were unchanged. The next meeting is in March.",
        "disagree",
    ),
    (
        RATES,
        "The central bank raised interest rates by a quarter point on Thursday. The governor said inflation "
        "remained too high. Economists had expected the move.",
        "agree",
    ),
    (
        RATES,
        "Markets waited for the central bank's decision on Thursday. Analysts said it could raise interest "
        "rates or hold them steady. The bank will announce its decision at noon.",
        "discuss",
    ),
    (
        QUAKE,
        "The earthquake killed 12 people in the north of the country, officials said. Rescue teams searched "
        "collapsed buildings overnight. Aid arrived on Sunday.",
        "disagree",
    ),
    (
        QUAKE,
        "Forty people were killed when the earthquake struck the north of the country. Rescue teams searched "
        "collapsed buildings overnight. Aid arrived on Sunday.",
        "agree",
    ),
]


def test_short_texts_are_read_for_what_they_say_of_the_claim() -> None:
    found = [r.stance for r in claims.check_many([(claim, text) for claim, text, _ in SHORT_TEXTS])]
    assert found == [stance for _, _, stance in SHORT_TEXTS]


def test_only_a_text_of_a_few_sentences_is_read_sentence_by_sentence() -> None:
    assert claims.is_short(RELEASED) and not claims.is_short(AGREE) and not claims.is_short("One sentence only.")
