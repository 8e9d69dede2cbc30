from django.conf import settings
from django.db import models
from django.db.models import Q


class TrainingRun(models.Model):
    """One training of the model, from request to result."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "by hand"
        SCHEDULE = "schedule", "nightly schedule"
        NEW_RATINGS = "new_ratings", "new ratings threshold"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=12, choices=Trigger.choices, default=Trigger.MANUAL)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    config = models.JSONField(help_text="ModelConfig as a dict")
    worker = models.CharField(max_length=200, blank=True, help_text="host that ran it")
    epoch = models.PositiveIntegerField(default=0)
    step = models.PositiveIntegerField(default=0)
    steps_per_epoch = models.PositiveIntegerField(default=0)
    loss_history = models.JSONField(default=list, blank=True, help_text="one entry per epoch")
    metrics = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="when the task queue last took it for a worker"
    )
    dispatch_error = models.TextField(
        blank=True, help_text="why the task queue did not take it the last time it was sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Who may start a training (staff pages, API): a permission, not staff status alone.
        permissions = [("train_model", "Can request a training run")]
        constraints = [
            # The database, not the workers, guarantees at most one queued and one running
            # training at a time: two workers claiming at once cannot both succeed.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=["queued", "running"]),
                name="training_one_queued_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"Training run {self.pk} ({self.status})"


class ModelVersion(models.Model):
    """A trained model's artifact and what it was measured at; exactly one is active."""

    class Gate(models.TextChoices):
        PASSED = "passed"
        REJECTED = "rejected", "rejected: worse than the active version"

    training_run = models.OneToOneField(
        TrainingRun, on_delete=models.PROTECT, related_name="model_version"
    )
    artifact_path = models.CharField(max_length=500)
    config = models.JSONField()
    data_snapshot = models.JSONField(help_text="counts and newest rating time of the data")
    metrics = models.JSONField()
    gate = models.CharField(max_length=10, choices=Gate.choices)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # Who may switch the serving version (staff pages, API, admin action).
        permissions = [("activate_model", "Can activate a model version")]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_model_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Model version {self.pk}" + (" (active)" if self.is_active else "")


class ModelVersionActivation(models.Model):
    """A request to make a version serve, from staff, and how it ended: a worker does the
    switch (it writes to Milvus), so without this record a failed one would go unseen."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="activations")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Activation of model version {self.version_id} ({self.status})"
