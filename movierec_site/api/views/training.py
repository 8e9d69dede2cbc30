"""Staff only: training runs (request one, follow its progress) and model versions (roll
back by activating an earlier one). Staff may look; requesting a run takes the
recommender.train_model permission and activating recommender.activate_model."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from movierec_site.api.errors import application_errors_as
from movierec_site.api.pagination import ApiPagination
from movierec_site.api.permissions import CanActivateModel, CanTrainModel, IsStaff
from movierec_site.api.schema import error_response
from movierec_site.api.serializers import (
    ModelVersionActivationSerializer,
    ModelVersionSerializer,
    TrainingRunCreateSerializer,
    TrainingRunSerializer,
)
from movierec_site.api.views.common import id_parameter, object_id
from recommender.selectors import (
    model_version_activation_list,
    model_version_list,
    training_run_get,
    training_run_list,
)
from recommender.services.activation import model_version_activation_request
from recommender.services.training_runs import training_run_request


@extend_schema(tags=["training"])
class TrainingRunListView(ListAPIView):
    permission_classes = [CanTrainModel]
    serializer_class = TrainingRunSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        return training_run_list()

    @extend_schema(summary="Training runs, newest first, with status, progress and metrics")
    def get(self, request):
        return super().get(request)

    @extend_schema(
        summary="Queue a retraining",
        description=(
            "Needs the recommender.train_model permission. Refused with 409 while another run "
            "is queued or running."
        ),
        request=TrainingRunCreateSerializer,
        responses={202: TrainingRunSerializer, 409: error_response(409)},
    )
    def post(self, request):
        serializer = TrainingRunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with application_errors_as(status.HTTP_409_CONFLICT, "conflict"):
            run = training_run_request(triggered_by=request.user, **serializer.validated_data)
        return Response(TrainingRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["training"],
    summary="One training run",
    parameters=[id_parameter("run_id", "Training run id")],
)
class TrainingRunDetailView(RetrieveAPIView):
    permission_classes = [IsStaff]
    serializer_class = TrainingRunSerializer

    def get_object(self):
        run = training_run_get(run_id=object_id(self.kwargs["run_id"], "training run"))
        if run is None:
            raise NotFound(f"There is no training run {self.kwargs['run_id']}.")
        return run


@extend_schema(tags=["training"], summary="Model versions, newest first")
class ModelVersionListView(ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = ModelVersionSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        return model_version_list()


class ModelVersionActivateView(APIView):
    permission_classes = [CanActivateModel]

    @extend_schema(
        tags=["training"],
        summary="Activate a model version (e.g. roll back)",
        description=(
            "Needs the recommender.activate_model permission. A worker re-points the vector "
            "index and the model; this records the request and queues it. Follow it at "
            "model-versions/activations/."
        ),
        parameters=[id_parameter("version_id", "Model version id")],
        request=None,
        responses={202: ModelVersionActivationSerializer},
    )
    def post(self, request, version_id: str):
        version_id = object_id(version_id, "model version")
        with application_errors_as(status.HTTP_404_NOT_FOUND, "not_found"):
            activation = model_version_activation_request(
                version_id=version_id, requested_by=request.user
            )
        return Response(
            ModelVersionActivationSerializer(activation).data, status=status.HTTP_202_ACCEPTED
        )


@extend_schema(
    tags=["training"],
    summary="Activation requests, newest first, with who asked and how each ended",
)
class ModelVersionActivationListView(ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = ModelVersionActivationSerializer
    pagination_class = ApiPagination

    def get_queryset(self):
        return model_version_activation_list()
