"""Training, evaluation, artifacts and fold-in for the two-tower model.

Entry points (import the modules directly; this package imports nothing so that Paddle is
only loaded where it is used):
  pipeline.train_and_evaluate(data, config, out_dir, progress=None, snapshot=None)
  inference.load_model(artifact_dir) -> TrainedModel
  fold_in.fold_in_user(model, movie_ids, stars, gender, age, occupation)
"""
