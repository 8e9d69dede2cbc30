from django.core.cache import cache
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from movierec_site.api.serializers import (
    RecommendationPageSerializer,
    RecommendationQuerySerializer,
)
from recommender.serving import recommendation_list, recommendation_state

ANSWER_CACHE_SECONDS = 600  # a safety net: the key changes whenever the answer would


class RecommendationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["recommendations"],
        summary="My recommendations",
        description="Ranked by the active model, never a movie I rated; the most popular "
        "movies among people like me while no model can answer (`fallback`). `popularity` "
        "ranks this answer with another popularity dial than my saved one.",
        parameters=[RecommendationQuerySerializer],
        responses=RecommendationPageSerializer,
    )
    def get(self, request):
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit, page = query.validated_data["limit"], query.validated_data["page"]
        genre = query.validated_data.get("genre") or None
        popularity = query.validated_data.get("popularity")
        # The answer is kept per list state (model version, the person's ratings,
        # demographics and saved dial), so it changes on the next call after any of them does.
        state = recommendation_state(user=request.user)
        asked = "saved" if popularity is None else popularity
        key = f"api:recs:{state}:{limit}:{page}:{genre or '*'}:{asked}" if state else None
        body = cache.get(key) if key else None
        if body is None:
            result = recommendation_list(
                user=request.user,
                limit=limit,
                offset=(page - 1) * limit,
                genre=genre,
                popularity=popularity,
            )
            page_data = {**vars(result), "page": page, "limit": limit}
            body = dict(RecommendationPageSerializer(page_data).data)
            if key and not result.fallback:  # popular stand-ins get personal soon
                cache.set(key, body, ANSWER_CACHE_SECONDS)
        return Response(body)
