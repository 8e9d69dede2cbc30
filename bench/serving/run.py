"""Serving a person's vector with numpy (recommender.scoring) against the Paddle network it
was exported from: agreement, time per call, and a web process's memory with each.

  .venv/bin/python -m bench.serving.run --artifact var/models/run-1 [--json FILE]

Each side runs in a fresh process, so one's imports never count towards the other's memory.
"""

import argparse
import json
import subprocess
import sys
import textwrap

from bench.common import result_write

_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    import numpy as np

    def rss_mb():
        with open("/proc/self/status") as status:
            line = next(l for l in status if l.startswith("VmRSS"))
        return int(line.split()[1]) / 1024

    def per_call_ms(function, calls):
        function()
        started = time.perf_counter()
        for _ in range(calls):
            function()
        return (time.perf_counter() - started) * 1000 / calls

    artifact, side, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    before = rss_mb()
    from recommender.scoring import fold_in_user, load_scoring_model
    scoring = load_scoring_model(artifact)
    ids = scoring.vocab.user_ids.ids[:200]
    gender, age, occupation = scoring._stored_demographics(ids)
    rated = scoring.movie_ids[:: max(1, len(scoring.movie_ids) // 20)][:20]
    stars = np.resize([5.0, 4.0, 2.0, 3.0, 1.0], len(rated))
    one = ([int(ids[0])], [int(gender[0])], [int(age[0])], [int(occupation[0])])
    if side == "numpy":
        result = {
            "tower_ms": per_call_ms(lambda: scoring.encode_users(*one), calls),
            "fold_in_ms": per_call_ms(
                lambda: fold_in_user(scoring, rated, stars, 0, 25, 4), max(1, calls // 10)
            ),
            "vectors": scoring.encode_users(ids, gender, age, occupation).vectors.tolist(),
        }
    else:
        from recommender.training.artifacts import load_bundle
        from recommender.training.encoding import encode_users
        from recommender.training.inputs import user_features
        net, vocab = load_bundle(artifact).net, scoring.vocab
        def tower(*columns):
            return encode_users(net, user_features(vocab, *columns))
        result = {
            "tower_ms": per_call_ms(lambda: tower(*one), calls),
            "vectors": tower(ids, gender, age, occupation).vectors.tolist(),
        }
    result.update(rss_before_mb=before, rss_after_mb=rss_mb())
    print(json.dumps(result))
    """
)


def _measure(artifact: str, side: str, calls: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _MEASURE, artifact, side, str(calls)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifact", required=True, help="a trained model version's directory")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    import numpy as np

    served, reference = (_measure(args.artifact, side, args.calls) for side in ("numpy", "paddle"))
    difference = np.abs(np.array(served.pop("vectors")) - np.array(reference.pop("vectors")))
    result = {
        "artifact": args.artifact,
        "max_abs_vector_difference": float(difference.max()),
        "numpy": served,
        "paddle": reference,
        "tower_time_ratio_numpy_to_paddle": served["tower_ms"] / reference["tower_ms"],
        "process_rss_mb": {"numpy": served["rss_after_mb"], "paddle": reference["rss_after_mb"]},
    }
    print(json.dumps(result, indent=2))
    result_write("serving", result)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
