"""A trained model as a self-describing directory, and the inference object loaded from it.

Layout (format 1):
  config.json          ModelConfig.to_dict()
  vocabularies.json    Vocabularies.to_dict()
  model.json           format, rating offset, vocabulary sizes, ranking policy
  weights.pdparams     paddle.save(state_dict)
  catalog.json       every catalog movie: id, title, genres, training rating count
  users.json           training users' demographics (predict() for known users)
  metrics.json         whatever the caller measured (metrics, history, timings)
  data_snapshot.json   what the model was trained on (counts, max timestamp, ...)
  serving.npz          the weights serving needs, as numpy arrays (recommender.scoring)
  neighbourhood.npz    the neighbourhood stage's sparse rows, by catalog position (when the
                       model has one; model.json says so and gives the residual weight)
  export/user_tower.*, export/movie_tower.*   paddle.jit.save'd towers, unit vectors + bias
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import paddle
from paddle.static import InputSpec

from ..model.config import ModelConfig
from ..model.net import BOOK_SCALE, EmbeddingFc, TwoTowerNet, VocabSizes, normalize
from ..model.ranking import RankingPolicy
from ..model.vocab import AGE_BRACKETS, GENDERS, OCCUPATION_COUNT, Vocabularies
from ..scoring import FORMAT_VERSION, SERVING_FILE, ServingWeights
from ..scoring.neighbourhood import NEIGHBOURHOOD_FILE
from .data import RatingsData
from .encoding import encode_movies
from .inputs import MovieFeatures, movie_features, table_rows, vocab_sizes
from .neighbourhood import FittedNeighbourhood

_USER_INPUTS = ("user", "gender", "age", "occupation")


@dataclass(frozen=True)
class ModelBundle:
    """Everything the inference object needs, in memory."""

    config: ModelConfig
    vocab: Vocabularies
    net: TwoTowerNet
    rating_offset: float
    policy: RankingPolicy
    catalog: dict[str, list]  # movie_ids, titles, genres, rating_counts
    users: dict[str, list]  # user_ids, gender, age, occupation
    # By the training movie table's rows, which are the catalog's order.
    neighbourhood: FittedNeighbourhood | None = None
    residual_weight: float = 0.0


def catalog_of(data: RatingsData, known: RatingsData) -> dict[str, list]:
    """The movie table with each movie's number of ratings in `known` (its popularity)."""
    rows = table_rows(data.movie_table_ids, known.movie_ids)
    rating_counts = np.bincount(rows, minlength=len(data.movie_table_ids))
    return {
        "movie_ids": data.movie_table_ids.tolist(),
        "titles": list(data.titles),
        "genres": [list(g) for g in data.genres],
        "rating_counts": rating_counts.tolist(),
    }


def users_of(data: RatingsData) -> dict[str, list]:
    return {
        "user_ids": data.user_table_ids.tolist(),
        "gender": data.gender.tolist(),
        "age": data.age.tolist(),
        "occupation": data.occupation.tolist(),
    }


def save_artifact(
    bundle: ModelBundle, out_dir: Path, metrics: dict[str, Any], snapshot: dict[str, Any]
) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_json(out_dir / "config.json", bundle.config.to_dict())
    bundle.vocab.save(out_dir / "vocabularies.json")
    _write_json(out_dir / "model.json", _model_description(bundle))
    paddle.save(bundle.net.state_dict(), str(out_dir / "weights.pdparams"))
    _write_json(out_dir / "catalog.json", bundle.catalog)
    _write_json(out_dir / "users.json", bundle.users)
    _write_json(out_dir / "metrics.json", metrics)
    _write_json(out_dir / "data_snapshot.json", snapshot)
    serving_weights_of(bundle).save(out_dir)
    if bundle.neighbourhood is not None:
        order = _catalog_order(bundle.catalog)
        bundle.neighbourhood.serving(bundle.residual_weight, order).save(out_dir)
    export_towers(bundle.net, bundle.config, out_dir / "export")
    return out_dir


def _catalog_order(catalog: dict[str, list]) -> np.ndarray:
    """Serving's catalog is sorted by movie id: position p holds catalog row order[p]."""
    return np.argsort(np.asarray(catalog["movie_ids"], dtype=np.int64), kind="stable")


def serving_weights_ensure(artifact_dir: Path | str) -> bool:
    """Writes serving.npz into an artifact saved before it existed; True if it wrote one."""
    if (Path(artifact_dir) / SERVING_FILE).exists():
        return False
    serving_weights_of(load_bundle(Path(artifact_dir))).save(Path(artifact_dir))
    return True


@paddle.no_grad()
def serving_weights_of(bundle: ModelBundle) -> ServingWeights:
    """The network's weights as recommender.scoring uses them (see ServingWeights)."""
    net, catalog = bundle.net, bundle.catalog
    net.eval()

    def numpy(tensor: paddle.Tensor) -> np.ndarray:
        return tensor.numpy().astype(np.float32)

    def branch_table(branch: EmbeddingFc, known_values: int) -> np.ndarray:
        return numpy(branch(paddle.arange(known_values + 1, dtype="int64")))

    order = _catalog_order(catalog)
    movie_ids = np.asarray(catalog["movie_ids"], dtype=np.int64)[order]
    features = movie_features(
        bundle.vocab,
        bundle.config,
        movie_ids,
        [catalog["titles"][i] for i in order],
        [catalog["genres"][i] for i in order],
    )
    movies = encode_movies(net, _with_padding_row(features))
    multitask = bundle.config.variant == "multitask"
    user_concat = net.user_fc.weight.shape[0]
    return ServingWeights(
        id_embedding=numpy(net.user_id.embedding.weight),
        id_fc_w=numpy(net.user_id.fc.weight),
        id_fc_b=numpy(net.user_id.fc.bias),
        gender_features=branch_table(net.gender, len(GENDERS)),
        age_features=branch_table(net.age, len(AGE_BRACKETS)),
        occupation_features=branch_table(net.occupation, OCCUPATION_COUNT),
        user_fc_w=numpy(net.user_fc.weight),
        user_fc_b=numpy(net.user_fc.bias),
        user_bias_w=(
            numpy(net.user_bias.weight)[:, 0] if multitask else np.zeros(user_concat, np.float32)
        ),
        movie_ids=movie_ids,
        rating_counts=np.asarray(catalog["rating_counts"], dtype=np.int64)[order],
        movie_vectors=movies.vectors,
        movie_biases=movies.biases,
        rating_weights=(
            numpy(net.rating_weights)
            if multitask
            else np.full(bundle.config.vector_dim, BOOK_SCALE, np.float32)
        ),
        rating_offset=np.asarray(numpy(net.rating_offset)[0] if multitask else 0.0, np.float32),
        user_bias_weight=np.asarray(1.0 if multitask else 0.0, np.float32),
    )


def _with_padding_row(movies: MovieFeatures) -> MovieFeatures:
    """Row 0 becomes the all-padding movie, the encoding unknown movie ids get."""

    def padded(values: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros((1, *values.shape[1:]), values.dtype), values])

    return MovieFeatures(padded(movies.movie), padded(movies.genres), padded(movies.title))


def load_bundle(artifact_dir: Path) -> ModelBundle:
    artifact_dir = Path(artifact_dir)
    description = _read_json(artifact_dir / "model.json")
    if description["format_version"] != FORMAT_VERSION:
        raise ValueError(f"unsupported artifact format {description['format_version']}")
    config = ModelConfig.from_saved(_read_json(artifact_dir / "config.json"))
    net = TwoTowerNet(
        config, VocabSizes(**description["vocab_sizes"]), description["rating_offset"]
    )
    weights = paddle.load(str(artifact_dir / "weights.pdparams"))
    # set_state_dict only warns about missing or unexpected weights; a mismatch must fail.
    if set(weights) != set(net.state_dict()):
        raise ValueError(f"{artifact_dir} weights do not match the network its config builds")
    net.set_state_dict(weights)
    net.eval()
    return ModelBundle(
        config=config,
        vocab=Vocabularies.load(artifact_dir / "vocabularies.json"),
        net=net,
        rating_offset=description["rating_offset"],
        policy=RankingPolicy.from_dict(description["ranking_policy"]),
        catalog=_read_json(_catalog_file(artifact_dir)),
        users=_read_json(artifact_dir / "users.json"),
    )


class _UserTowerExport(paddle.nn.Layer):
    def __init__(self, net: TwoTowerNet) -> None:
        super().__init__()
        self.net = net

    def forward(
        self,
        user: paddle.Tensor,
        gender: paddle.Tensor,
        age: paddle.Tensor,
        occupation: paddle.Tensor,
    ) -> tuple[paddle.Tensor, paddle.Tensor]:
        vector, bias = self.net.user_tower(user, gender, age, occupation)
        return normalize(vector), bias


class _MovieTowerExport(paddle.nn.Layer):
    def __init__(self, net: TwoTowerNet) -> None:
        super().__init__()
        self.net = net

    def forward(
        self, movie: paddle.Tensor, genres: paddle.Tensor, title: paddle.Tensor
    ) -> tuple[paddle.Tensor, paddle.Tensor]:
        vector, bias = self.net.movie_tower(movie, genres, title)
        return normalize(vector), bias


def export_towers(net: TwoTowerNet, config: ModelConfig, export_dir: Path) -> None:
    """Saves each tower as a static inference program: (unit vectors [B, D], biases [B])."""
    net.eval()
    # One InputSpec object per input: a shared one would feed the same tensor to all.
    user_spec = [InputSpec([None], "int64", name) for name in _USER_INPUTS]
    movie_spec = [
        InputSpec([None], "int64", "movie"),
        InputSpec([None, config.max_genres], "int64", "genres"),
        InputSpec([None, config.max_title_words], "int64", "title"),
    ]
    paddle.jit.save(_UserTowerExport(net), str(export_dir / "user_tower"), input_spec=user_spec)
    paddle.jit.save(_MovieTowerExport(net), str(export_dir / "movie_tower"), input_spec=movie_spec)


def _model_description(bundle: ModelBundle) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "rating_offset": bundle.rating_offset,
        "vocab_sizes": dataclasses.asdict(vocab_sizes(bundle.vocab)),
        "ranking_policy": bundle.policy.to_dict(),
        "neighbourhood": None
        if bundle.neighbourhood is None
        else {
            "file": NEIGHBOURHOOD_FILE,
            "residual_weight": bundle.residual_weight,
            "kept": bundle.config.neighbours_kept,
        },
    }


def _catalog_file(artifact_dir: Path) -> Path:
    # Artifacts saved before the file's rename call it catalogue.json.
    path = artifact_dir / "catalog.json"
    return path if path.exists() else artifact_dir / "catalogue.json"


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
