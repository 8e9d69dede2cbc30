from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from movierec_site.api.serializers import (
    RecommendationPageSerializer,
    RecommendationQuerySerializer,
)
from recommender.serving import recommendation_list


class RecommendationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["recommendations"],
        summary="My recommendations",
        description="Ranked by the active model, never a movie I rated; the most popular "
        "movies among people like me while no model can answer (`fallback`).",
        parameters=[RecommendationQuerySerializer],
        responses=RecommendationPageSerializer,
    )
    def get(self, request):
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit, page = query.validated_data["limit"], query.validated_data["page"]
        result = recommendation_list(
            user=request.user,
            limit=limit,
            offset=(page - 1) * limit,
            genre=query.validated_data.get("genre") or None,
        )
        body = {**vars(result), "page": page, "limit": limit}
        return Response(RecommendationPageSerializer(body).data)
