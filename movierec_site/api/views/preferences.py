"""A signed-in person's saved preferences for their recommendations: the popularity dial."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.selectors import profile_for
from movierec_site.api.serializers import PreferencesSerializer
from recommender.services.feedback import popularity_dial_set


@extend_schema(tags=["recommendations"])
class PreferencesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My recommendation preferences", responses=PreferencesSerializer)
    def get(self, request):
        profile = profile_for(user=request.user)
        return Response({"popularity": profile.popularity_dial if profile else 0})

    @extend_schema(
        summary="Save my recommendation preferences",
        description="`popularity`: -2 (hidden gems) .. 2 (well known); my next "
        "recommendations are ranked with it.",
        request=PreferencesSerializer,
        responses=PreferencesSerializer,
    )
    def put(self, request):
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        popularity = serializer.validated_data["popularity"]
        popularity_dial_set(user=request.user, popularity=popularity)
        return Response({"popularity": popularity})
