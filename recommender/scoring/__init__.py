"""Serving a trained model with numpy alone: no Paddle, no Django, safe from any thread.

Training (Paddle, in workers) writes `serving.npz` beside the other artifact files: the
user tower's weights, every catalog movie's vector and bias (the movie tower run once at
export), and the rating head. Web processes load that file and compute a person's vector,
their fold-in and their stars here, so they never import Paddle (whose dynamic-graph mode
exists only in the thread that imported it) and stay small.

  model = load_scoring_model(artifact_dir)
  user = model.encode_users([uid], [gender], [age], [occupation])   # Encoded
  top = model.rerank(candidate_ids, cosines, k=10)                  # vector-DB candidates
  stars = model.stars(user, top)
  fold_in_user(model, movie_ids, stars, gender, age, occupation)    # a person's own vector
"""

from .encoded import STARS_MAX, STARS_MIN, Encoded
from .fold_in import fold_in_user
from .model import FORMAT_VERSION, ScoringModel, load_scoring_model
from .weights import SERVING_FILE, ServingWeights

__all__ = [
    "FORMAT_VERSION",
    "SERVING_FILE",
    "STARS_MAX",
    "STARS_MIN",
    "Encoded",
    "ScoringModel",
    "ServingWeights",
    "fold_in_user",
    "load_scoring_model",
]
