"""Training, evaluation and artifacts for the two-tower model (serving: recommender.scoring).

Entry points (import the modules directly; this package imports nothing so that Paddle is
only loaded where it is used):
  pipeline.train_and_evaluate(data, config, out_dir, progress=None, snapshot=None)
  artifacts.serving_weights_ensure(artifact_dir)  (serving.npz for recommender.scoring)
"""
