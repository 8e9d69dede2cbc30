"""recommender.scoring (numpy, what web processes serve with) against the Paddle network it
was exported from: the same vectors, biases and stars, and no Paddle needed to load it."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from recommender.model.vocab import UNKNOWN_CODE
from recommender.scoring import SERVING_FILE, ServingWeights, load_scoring_model
from recommender.training.encoding import encode_users, to_tensors
from recommender.training.inputs import user_features

TOLERANCE = 1e-5


def _paddle_users(scoring_model, paddle_net, ids, gender, age, occupation):
    return encode_users(
        paddle_net, user_features(scoring_model.vocab, ids, gender, age, occupation)
    )


def test_user_vectors_match_the_network(scoring_model, paddle_net, synthetic):
    ids = np.concatenate([synthetic.user_table_ids[:6], [999_999]])  # last: unknown id
    gender, age, occupation = (
        np.concatenate([synthetic.gender[:6], [UNKNOWN_CODE]]),
        np.concatenate([synthetic.age[:6], [UNKNOWN_CODE]]),
        np.concatenate([synthetic.occupation[:6], [UNKNOWN_CODE]]),
    )
    served = scoring_model.encode_users(ids, gender, age, occupation)
    reference = _paddle_users(scoring_model, paddle_net, ids, gender, age, occupation)
    np.testing.assert_allclose(served.vectors, reference.vectors, atol=TOLERANCE)
    np.testing.assert_allclose(served.biases, reference.biases, atol=TOLERANCE)
    assert not np.allclose(served.vectors[0], served.vectors[1])  # a real comparison


def test_stars_match_the_network(scoring_model, paddle_net, synthetic):
    ids, movies = (
        synthetic.user_table_ids[:4],
        np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 5, 9]]),
    )
    demographics = (synthetic.gender[:4], synthetic.age[:4], synthetic.occupation[:4])
    users = scoring_model.encode_users(ids, *demographics)
    rated = scoring_model.movie_encodings(movies)
    reference = paddle_net.stars(
        *to_tensors(users.vectors[:, None], rated.vectors, users.biases[:, None], rated.biases)
    )
    expected = np.clip(reference.numpy(), 1, 5)
    np.testing.assert_allclose(scoring_model.stars(users, movies), expected, atol=1e-4)


def test_an_artifact_without_serving_weights_is_refused(train_result, tmp_path):
    broken = tmp_path / "artifact"
    broken.mkdir()
    for path in train_result.artifact_dir.iterdir():
        if path.is_file() and path.name != SERVING_FILE:
            (broken / path.name).write_bytes(path.read_bytes())
    with pytest.raises(FileNotFoundError, match=SERVING_FILE):
        load_scoring_model(broken)


def test_a_serving_file_missing_an_array_is_refused(train_result, tmp_path):
    weights = ServingWeights.load(train_result.artifact_dir)
    np.savez(tmp_path / SERVING_FILE, id_embedding=weights.id_embedding)
    with pytest.raises(ValueError, match="expected"):
        ServingWeights.load(tmp_path)


def test_threads_serve_alike_and_never_import_paddle(train_result):
    """As a threaded server runs it, in a fresh process: one request thread loads the model
    and folds a person in, then other threads do the same at once. (Paddle's dynamic-graph
    mode exists only in the thread that imported it: the second visitor's thread crashed.)
    Web processes serve with numpy alone, so they never import Paddle at all."""
    script = textwrap.dedent(
        f"""
        import sys, threading
        import numpy as np

        def serve(person, out):
            from recommender.scoring import fold_in_user, load_scoring_model
            model = load_scoring_model({str(train_result.artifact_dir)!r})
            rated = np.array([1 + person, 2 + person, 3 + person])
            user = fold_in_user(model, rated, np.array([5.0, 1.0, 4.0]), person % 2, 25, 4)
            out[person] = (user.vectors.tolist(), model.stars(user, rated[None]).tolist())

        def run(people):
            out = {{}}
            threads = [threading.Thread(target=serve, args=(p, out)) for p in people]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return out

        first = run([0])
        together = run([0, 1, 2, 3, 4, 5])
        assert together[0] == first[0], "a thread saw another's state"
        assert len({{str(v) for v in together.values()}}) == 6, "people were mixed up"
        assert "paddle" not in sys.modules, "paddle was imported"
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
