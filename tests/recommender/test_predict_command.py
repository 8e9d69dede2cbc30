"""manage.py predict: stars for UserID::MovieID pairs, with the lines it skips and why."""

import numpy as np
import pytest
from django.core.management import call_command

from catalog.models import Profile, Rating
from recommender.model.vocab import demographic_codes
from recommender.selectors import scoring_model_get_active


def test_predict_writes_a_line_per_known_pair_and_reports_the_rest(
    trained, synthetic_catalog, tmp_path, capsys, django_user_model
):
    newcomer = django_user_model.objects.create_user("newcomer")
    Profile.objects.create(user=newcomer, movielens_id=999, gender="F", age=25, occupation=4)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("1::1\n2::3\n12345::1\n1::9999\nnot a pair\n999::2\n")
    output = tmp_path / "out.txt"

    call_command("predict", "--pairs", str(pairs), "--output", str(output))

    lines = output.read_text().splitlines()
    assert [line.rsplit("::", 1)[0] for line in lines] == ["1::1", "2::3", "999::2"]
    stars = [float(line.rsplit("::", 1)[1]) for line in lines]
    assert all(1.0 <= value <= 5.0 for value in stars)
    _, model = scoring_model_get_active()
    _, user_pks = synthetic_catalog
    user_pk = user_pks[1]
    # The person's tower vector with the terms their other ratings give (the pair's own
    # rating, if they made one, is what is being predicted).
    others = Rating.objects.filter(user_id=user_pk).exclude(movie_id=1)
    movies, given = zip(*others.values_list("movie_id", "stars"), strict=True)
    profile = Profile.objects.get(user_id=user_pk)
    person = model.encode_users(
        [user_pk],
        *([code] for code in demographic_codes(profile.gender, profile.age, profile.occupation)),
    )
    person = model.personalize(person, [np.array(movies)], [np.array(given, np.float32)])
    expected = model.stars(person, np.array([[1]]))[0, 0]
    assert model.neighbourhood is not None
    assert stars[0] == pytest.approx(expected, abs=1e-4)
    err = capsys.readouterr().err
    assert "skipped line 3: no user with MovieLens id 12345" in err
    assert "skipped line 4: no movie with id 9999" in err
    assert "skipped line 5: expected UserID::MovieID" in err
    assert "3 predicted, 3 skipped, 1 with a person or movie the model never saw" in err
