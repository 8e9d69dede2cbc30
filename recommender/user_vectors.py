"""A person's vector under the active model: the trained tower, or a fold-in.

The tower serves people the model was trained on whose ratings have not changed since the
training data was exported. Everyone else (people who signed up later, or who rated since)
gets a fold-in: their own id embedding fitted to their current ratings, network frozen.
Both are numpy (recommender.scoring): safe from any thread of any web server.
"""

import numpy as np

from catalog.models import Profile, Rating
from recommender.model.vocab import demographic_codes
from recommender.scoring import Encoded, ScoringModel, fold_in_user


def user_encoding_compute(*, model: ScoringModel, version, profile: Profile) -> Encoded:
    """Encoded(unit vector [1, D], bias [1]) for the person with `profile`."""
    demographics = demographic_codes(profile.gender, profile.age, profile.occupation)
    exported_at = version.data_snapshot.get("exported_at", 0)
    changed = profile.ratings_changed_at and profile.ratings_changed_at.timestamp() > exported_at
    if model.knows_user(profile.user_id) and not changed:
        return model.encode_users(np.array([profile.user_id]), *([d] for d in demographics))
    ratings = list(Rating.objects.filter(user_id=profile.user_id).values_list("movie_id", "stars"))
    movie_ids = np.array([movie for movie, _ in ratings], dtype=np.int64)
    stars = np.array([stars for _, stars in ratings], dtype=np.float32)
    return fold_in_user(model, movie_ids, stars, *demographics)
