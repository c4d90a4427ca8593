import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

import reelsense
from reelsense import InputError, Item, ModelError, Pipeline, Rejected, Review, schema_path
from reelsense.anatomy.opinion import OpinionModel, default_opinion_model_path
from reelsense.anatomy.sentence_model import SentenceModel

from .conftest import EXAMPLES, imdb_slice


def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def test_pipeline_reads_our_examples(pipeline: Pipeline) -> None:
    pos = pipeline.analyze(_example("positive-the-lighthouse-keepers-daughter.txt"))
    neg = pipeline.analyze(_example("negative-velocity-protocol.txt"))
    mixed = pipeline.analyze(_example("mixed-harbour-lights.txt"))
    assert (pos.verdict, neg.verdict, mixed.verdict) == ("positive", "negative", "mixed")
    assert pos.probability > 0.9 and neg.probability < 0.1
    assert pos.predicted_rating > 7 and neg.predicted_rating < 3  # the model's own reading
    assert (pos.rating, neg.rating) == (9.0, 4.0)  # the grades they state: "9/10", "Two stars out of five"
    assert pos.grade is not None and pos.grade.value == 9.0
    assert neg.grade is not None and neg.grade.value == 4.0


def test_pipeline_spans_point_into_the_original_text(pipeline: Pipeline) -> None:
    text = _example("mixed-harbour-lights.txt")
    review = pipeline.analyze(text)
    assert "html_removed" in review.flags
    assert "<br />" not in review.normalized
    for sentence in review.sentences:
        original = text[sentence.start : sentence.end]
        assert " ".join(original.split()) == " ".join(sentence.text.split())
    for phrase in review.phrases:
        assert text[phrase.start : phrase.end].lower() == phrase.text.lower()
    assert {p.text for p in review.phrases if p.weight > 0} >= {"superb"}
    assert {p.text for p in review.phrases if p.weight < 0} >= {"tedious"}


def test_pipeline_output_matches_schema(pipeline: Pipeline) -> None:
    schema = json.loads(schema_path().read_text())
    review = pipeline.analyze(_example("negative-velocity-protocol.txt"), id="v", film="Velocity")
    jsonschema.validate(json.loads(review.to_json()), schema)
    assert review.meta == {"film": "Velocity"}
    models = f"{pipeline.model.name}+{OpinionModel.load().name}+{SentenceModel.load().name}"
    assert review.model == pipeline.name == models
    assert Pipeline(pipeline.model, anatomy=False).analyze("A fine film.").model == pipeline.model.name


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "empty text"),
        ("   \n\t ", "empty text"),
        (b"\xff\xfe bad bytes", "not valid UTF-8 (byte 0xff at offset 0)"),
        ("\x00\x01\x02binary\x03\x04", "looks like binary data, not text (5 control characters)"),
        ("... !!! ???", "no words to analyse"),
        ("<br /><br /><p></p>", "no words left after removing HTML markup"),
        (12, "expected text, got int"),
    ],
)
def test_pipeline_rejects_bad_input_with_reason(pipeline: Pipeline, text: object, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        pipeline.analyze(text, id="rec-7")
    assert (caught.value.record, caught.value.reason) == ("rec-7", reason)
    assert str(caught.value) == f"record rec-7: {reason}"


def test_pipeline_rejects_absurd_length() -> None:
    pipeline = Pipeline(max_chars=1000)
    with pytest.raises(InputError, match="too long: 5,000 characters, the limit is 1,000"):
        pipeline.analyze("word " * 1000)


def test_pipeline_batch_never_loses_a_record(pipeline: Pipeline) -> None:
    items = [Item("A wonderful film.", "a"), Item("", "b"), Rejected("c", "not valid JSON"),
             Item(b"\xc3\x28", "d"), Item("A dreadful, boring film.", "e")]  # fmt: skip
    results = list(pipeline.analyze_many(items, batch_size=2))
    assert [r.id for r in results] == ["a", "b", "c", "d", "e"]
    assert [type(r).__name__ for r in results] == [
        "Review",
        "Rejected",
        "Rejected",
        "Rejected",
        "Review",
    ]
    assert [r.verdict for r in results if isinstance(r, Review)] == ["positive", "negative"]


def test_pipeline_flags_unreliable_text(pipeline: Pipeline) -> None:
    french = pipeline.analyze("Un film magnifique, les acteurs sont formidables et la musique est superbe.")
    assert "not_english" in french.flags and french.confidence < 0.25
    short = pipeline.analyze("Superb!")
    assert "too_short" in short.flags and short.verdict == "positive"
    gibberish = pipeline.analyze("zorblax quimbly frondex wuzzle plonkity snarfwig")
    assert "few_known_words" in gibberish.flags and gibberish.confidence < 0.1


def test_pipeline_parallel_matches_serial(pipeline: Pipeline) -> None:
    texts = [f"Review {i}: the acting was {'superb' if i % 2 else 'dreadful'}." for i in range(40)]
    serial = list(pipeline.analyze_many(texts, batch_size=7))
    parallel = list(pipeline.analyze_many(texts, batch_size=7, jobs=2))
    assert parallel == serial


def test_pipeline_module_functions_use_the_shipped_model() -> None:
    review = reelsense.analyze("An absolute joy from start to finish.")
    assert review.verdict == "positive"
    [again] = list(reelsense.analyze_many(["An absolute joy from start to finish."]))
    assert again == dataclasses.replace(review, id="0")  # a plain string is numbered by its place


def test_pipeline_reads_lowercased_and_stripped_text(pipeline: Pipeline) -> None:
    prose = pipeline.analyze("I didn't like it. The plot is a mess, and the acting is wooden!")
    flat = pipeline.analyze("i didnt like it the plot is a mess and the acting is wooden")
    assert prose.verdict == flat.verdict == "negative"


def test_pipeline_rejects_a_5mb_text_by_default(pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="too long: 5,000,000 characters, the limit is 1,000,000"):
        pipeline.analyze("x" * 5_000_000)


def test_pipeline_without_explanations_gives_the_same_verdicts(pipeline: Pipeline) -> None:
    quick = Pipeline(pipeline.model, explain=False)
    text = _example("mixed-harbour-lights.txt")
    full, fast = pipeline.analyze(text), quick.analyze(text)
    assert fast.phrases == () and full.phrases
    assert (fast.verdict, fast.probability, fast.rating, fast.sentences) == (
        full.verdict,
        full.probability,
        full.rating,
        full.sentences,
    )


def test_pipeline_puts_a_lukewarm_review_in_the_middle(pipeline: Pipeline) -> None:
    lukewarm = pipeline.analyze(_example("lukewarm-the-quiet-season.txt"))
    rave = pipeline.analyze(_example("positive-the-lighthouse-keepers-daughter.txt"))
    pan = pipeline.analyze(_example("negative-velocity-protocol.txt"))
    assert 3.5 <= lukewarm.rating <= 6.5
    assert pan.rating < lukewarm.rating < rave.rating


def test_pipeline_takes_its_models_as_parts(tmp_path: Path, pipeline: Pipeline) -> None:
    """A refitted opinion model is evaluated by passing it in, without touching the shipped file."""
    shipped = default_opinion_model_path()
    document = json.loads(shipped.read_text(encoding="utf-8"))
    document["place"]["bias"] = -50.0  # a model that calls every sentence narration
    refitted = tmp_path / "opinion.json"
    refitted.write_text(json.dumps(document), encoding="utf-8")
    other = Pipeline(pipeline.model, opinion_model=refitted, people=False)
    text = "A wonderful film. The acting is superb."
    review = other.analyze(text)
    assert {s.kind for s in review.sentences} == {"narration"} and review.aspects == ()
    opinion, sentences = OpinionModel.load(refitted).name, SentenceModel.load().name
    assert review.model == other.name == f"{pipeline.model.name}+{opinion}+{sentences}"
    assert other.name != pipeline.name and pipeline.analyze(text).sentences[0].kind == "opinion"
    assert other.model is pipeline.model  # the verdict model is shared, not reloaded
    with pytest.raises(ModelError, match="cannot read opinion model"):
        Pipeline(pipeline.model, opinion_model=tmp_path / "missing.json")


def test_pipeline_takes_its_sentence_model_as_a_part(tmp_path: Path, pipeline: Pipeline) -> None:
    """A sentence model is passed in as an object or a path; the pipeline's name says which."""
    shipped = SentenceModel.load()
    shipped.params["intercepts"]["polarity"] = -40.0  # a model that reads every sentence as negative
    path = tmp_path / "negative.zip"
    SentenceModel(shipped.vocabulary, shipped.weights, shipped.leans, shipped.params).save(path)
    negative = SentenceModel.load(path)
    assert negative.name != SentenceModel.load().name
    for part in (negative, path):
        other = Pipeline(pipeline.model, sentence_model=part, people=False)
        review = other.analyze("A wonderful, moving film.")
        assert (review.verdict, review.sentences[0].sentiment) == ("negative", "negative")
        assert other.name.endswith(negative.name) and review.model == other.name
    with pytest.raises(ModelError, match="cannot read sentence model"):
        Pipeline(pipeline.model, sentence_model=tmp_path / "missing.zip")


def test_pipeline_without_the_anatomy_is_named_by_the_verdict_model_alone(pipeline: Pipeline) -> None:
    verdict_only = Pipeline(pipeline.model, anatomy=False, people=False)
    assert verdict_only.name == pipeline.model.name
    assert verdict_only.analyze("Fine.").model == pipeline.model.name
    assert [s.name for s in pipeline.stages] == ["verdict", "anatomy", "coherence", "people"]


def test_pipeline_results_carry_no_layout(pipeline: Pipeline) -> None:
    review = pipeline.analyze("A fine film.")
    assert review.layout is None


def test_reviews_read_in_any_batch_are_the_same(pipeline: Pipeline) -> None:
    """A review's analysis does not hang on the batch it is read in (what lets Spark's tasks give
    the local output): the explanations' ties in weight once went by the batch's array order."""
    items = [r["text"] for r in imdb_slice("test", 100)]
    whole = list(pipeline.analyze_many(items, batch_size=256))
    assert all(isinstance(r, Review) for r in whole)
    assert list(pipeline.analyze_many(items, batch_size=7)) == whole
