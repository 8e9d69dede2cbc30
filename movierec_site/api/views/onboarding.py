"""Onboarding by groups: the active model's groups of movies, and the signed-in person's
picks of them (which seed their recommendations before they rate anything). Every query is
by request.user: no route or parameter names another person."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ApplicationError
from movierec_site.api.errors import application_errors_as
from movierec_site.api.schema import error_response
from movierec_site.api.serializers import MovieSerializer
from recommender.services.feedback import group_picks_submit
from recommender.serving.groups import onboarding_groups

MAX_GROUPS = 32


class OnboardingGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The group's number under the active model.")
    genres = serializers.ListField(
        child=serializers.CharField(), help_text="Its dominant genres, most marked first."
    )
    movies = MovieSerializer(many=True, help_text="Its best-known movies.")
    picked = serializers.BooleanField(help_text="Whether I picked it.")


class OnboardingGroupsSerializer(serializers.Serializer):
    groups = OnboardingGroupSerializer(many=True)


class OnboardingPicksSerializer(serializers.Serializer):
    groups = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_GROUPS),
        max_length=MAX_GROUPS,
        help_text="The ids of the groups I like; an empty list clears my picks.",
    )


def _groups_body(user) -> dict:
    try:
        groups = onboarding_groups(user=user)
    except ApplicationError:  # no model serves: nothing to pick from yet
        groups = []
    return OnboardingGroupsSerializer({"groups": groups}).data


class OnboardingGroupsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["onboarding"],
        summary="Groups of movies to pick from",
        description="Clusters of the active model's movie vectors, each with its best-known "
        "movies and dominant genres, and whether I picked it; empty while no model serves.",
        responses=OnboardingGroupsSerializer,
    )
    def get(self, request):
        return Response(_groups_body(request.user))


class OnboardingPicksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["onboarding"],
        summary="Pick the groups I like",
        description="Replaces my picks (idempotent). The picked groups' movies seed my "
        "recommendations as liked movies, alongside my ratings. A group id the active model "
        "does not have, or no model serving, is a 409: the groups belong to the model.",
        request=OnboardingPicksSerializer,
        responses={200: OnboardingGroupsSerializer, 409: error_response(409)},
    )
    def put(self, request):
        body = OnboardingPicksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with application_errors_as(status.HTTP_409_CONFLICT, "conflict"):
            group_picks_submit(user=request.user, group_ids=body.validated_data["groups"])
        return Response(_groups_body(request.user))
