"""What happens when a part fails: Redis, Milvus, PostgreSQL mid-import.

A Celery worker killed mid-training (run marked failed, active model unchanged, next run
succeeds) is tested where the worker tests live:
tests/recommender/test_train_task_in_worker.py::
test_a_killed_worker_leaves_the_run_failed_and_the_active_version.
"""
