from rest_framework.permissions import SAFE_METHODS, IsAdminUser


class IsStaff(IsAdminUser):
    """Training and model versions: staff only (Django's is_staff)."""

    message = "Only staff can manage training and model versions."


class _ModelPermission(IsStaff):
    """Staff may look; changing takes the model permission (superusers hold every one)."""

    permission = ""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS or request.user.has_perm(self.permission):
            return True
        self.message = f"This needs the {self.permission} permission."
        return False


class CanTrainModel(_ModelPermission):
    permission = "recommender.train_model"


class CanActivateModel(_ModelPermission):
    permission = "recommender.activate_model"
