from rest_framework.permissions import IsAdminUser


class IsStaff(IsAdminUser):
    """Training and model versions: staff only (Django's is_staff)."""

    message = "Only staff can manage training and model versions."
