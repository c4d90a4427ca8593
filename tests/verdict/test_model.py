import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reelsense import ModelError, VerdictModel
from reelsense.verdict.model import FORMAT_VERSION, META_FEATURES, default_model_path


def _params(**overrides: Any) -> dict[str, Any]:
    """The parameters of a tiny hand-made model: 2**4 weights, a flat stage two."""
    params: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "name": "tiny",
        "version": "0.1",
        "bits": 4,
        "max_n": 2,
        "tail_tokens": 5,
        "negation_scope": 0,
        "negators": ["not"],
        "intercept": 0.25,
        "intensity_intercept": -0.5,
        "stage2": {"features": list(META_FEATURES), "coef": [1.0] + [0.0] * 11, "intercept": 0.0},
        "rating": {"coef": [0.5] + [0.0] * 11, "intercept": 0.0},
        "sentence_calibration": [1.0, 0.0],
    }
    params.update(overrides)
    return params


def _tiny() -> VerdictModel:
    # Weights exactly representable in float16, so a save/load round trip gives them back equal.
    weights = np.array([np.arange(16) / 4 - 2, np.full(16, 0.5), np.full(16, -0.125)])
    return VerdictModel(["good", "bad", "film"], weights, _params())


def _write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_model_name_is_name_at_version() -> None:
    assert _tiny().name == "tiny@0.1"
    assert VerdictModel.load().name == "reelsense-nblr@1.0.0"


def test_model_loads_the_shipped_file_by_default() -> None:
    assert default_model_path().name == "verdict-model.zip" and default_model_path().is_file()
    model = VerdictModel.load()
    assert (model.weights.shape, model.params["format"]) == ((1 << model.params["bits"],), FORMAT_VERSION)


def test_model_stage_two_is_the_logistic_of_its_inputs() -> None:
    model = _tiny()
    meta = np.zeros((3, len(META_FEATURES)))
    meta[:, 0] = [0.0, np.log(3), -np.log(3)]  # doc_logit, the only input the tiny model weighs
    assert np.allclose(model.probability(meta), [0.5, 0.75, 0.25])
    assert np.allclose(model.rating(meta * 2), [5.0, 7.5, 2.5])  # 10·σ(0.5·x)
    assert np.allclose(model.sentence_probability(np.array([0.0, np.log(3)])), [0.5, 0.75])


def test_model_save_then_load_gives_the_same_model(tmp_path: Path) -> None:
    model = _tiny()
    model.save(tmp_path / "m.zip")
    loaded = VerdictModel.load(tmp_path / "m.zip")
    assert (loaded.params, loaded.vocabulary) == (model.params, model.vocabulary)
    for name in ("weights", "intensity_weights", "nb_weights"):
        assert np.array_equal(getattr(loaded, name), getattr(model, name)), name
    loaded.save(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "m.zip").read_bytes()


def test_model_save_writes_plain_parts(tmp_path: Path) -> None:
    _tiny().save(tmp_path / "m.zip")
    with zipfile.ZipFile(tmp_path / "m.zip") as z:
        assert sorted(z.namelist()) == ["model.json", "vocabulary.txt", "weights.f16"]
        assert z.read("vocabulary.txt") == b"good\nbad\nfilm"
        assert json.loads(z.read("model.json")) == _params()
        assert {info.date_time for info in z.infolist()} == {(2020, 1, 1, 0, 0, 0)}


def test_model_weights_of_the_wrong_shape_are_a_model_error() -> None:
    with pytest.raises(ModelError) as refused:
        VerdictModel(["good"], np.zeros((3, 10)), _params())
    assert str(refused.value) == "model weights have shape (3, 10), expected (3, 16)"


def test_model_missing_file_says_how_to_build_one(tmp_path: Path) -> None:
    path = tmp_path / "none.zip"
    with pytest.raises(ModelError) as refused:
        VerdictModel.load(path)
    assert str(refused.value) == f"no model file at {path}: run `reelsense train` to build one"


def test_model_damaged_files_are_model_errors(tmp_path: Path) -> None:
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"not a zip")
    with pytest.raises(ModelError) as refused:
        VerdictModel.load(not_zip)
    assert str(refused.value) == (
        f"model file {not_zip} is damaged or not a reelsense model (File is not a zip file)"
    )
    partial = _write_zip(tmp_path / "partial.zip", {"model.json": json.dumps(_params()).encode()})
    with pytest.raises(ModelError) as refused:
        VerdictModel.load(partial)
    assert str(refused.value) == (
        f"model file {partial} is damaged or not a reelsense model "
        "(\"There is no item named 'vocabulary.txt' in the archive\")"
    )


def test_model_of_another_format_or_stage_two_says_to_retrain(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    _tiny().save(good)
    with zipfile.ZipFile(good) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    old = _write_zip(tmp_path / "old.zip", {**parts, "model.json": json.dumps(_params(format=2)).encode()})
    with pytest.raises(ModelError) as refused:
        VerdictModel.load(old)
    assert str(refused.value) == (
        f"model file {old} has format 2, this reelsense reads format {FORMAT_VERSION}: "
        "retrain it with `reelsense train`"
    )
    stage2 = {"features": ["doc_logit"], "coef": [1.0], "intercept": 0.0}
    changed = json.dumps(_params(stage2=stage2)).encode()
    other = _write_zip(tmp_path / "other.zip", {**parts, "model.json": changed})
    with pytest.raises(ModelError) as refused:
        VerdictModel.load(other)
    assert str(refused.value) == (
        f"model file {other} was trained for other stage-two inputs: retrain it with `reelsense train`"
    )
