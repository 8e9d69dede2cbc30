"""Signing up from an app, JWT tokens, and the signed-in person's own account."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from catalog.selectors import profile_for
from catalog.services.accounts import profile_update, user_sign_up
from movierec_site.api.serializers import (
    AccessTokenSerializer,
    AccountSerializer,
    CredentialsSerializer,
    DemographicsSerializer,
    MeSerializer,
    RefreshTokenSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    with_text_rules,
)

AUTH_SCOPE = "auth"  # the stricter throttle: these are where passwords get guessed


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = AUTH_SCOPE

    @extend_schema(
        tags=["auth"],
        summary="Sign up",
        description=(
            "Same rules as the web sign-up; answers with the new person and tokens. The email"
            " and every demographic are optional: a demographic left out or null is one the"
            " person prefers not to give."
        ),
        request=RegisterSerializer,
        responses={201: RegisteredSerializer},
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_sign_up(**serializer.validated_data)
        refresh = RefreshToken.for_user(user)
        body = {
            "user": user,
            "tokens": {"access": str(refresh.access_token), "refresh": str(refresh)},
        }
        return Response(RegisteredSerializer(body).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["auth"],
    summary="Obtain an access and a refresh token",
    request=CredentialsSerializer,
    responses=TokenPairSerializer,
)
class TokenObtainThrottledView(TokenObtainPairView):
    throttle_scope = AUTH_SCOPE
    serializer_class = with_text_rules(TokenObtainPairSerializer)


@extend_schema(
    tags=["auth"],
    summary="Exchange a refresh token for a new access token",
    request=RefreshTokenSerializer,
    responses=AccessTokenSerializer,
)
class TokenRefreshThrottledView(TokenRefreshView):
    throttle_scope = AUTH_SCOPE
    serializer_class = with_text_rules(TokenRefreshSerializer)


@extend_schema(tags=["auth"])
class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Who I am", responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        summary="Replace my demographics",
        description="A demographic left out or null: prefer not to say. The email is kept "
        "unless given.",
        request=AccountSerializer,
        responses=MeSerializer,
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        summary="Change some of my demographics or my email",
        description="What is not named is kept; null: prefer not to say.",
        request=AccountSerializer(partial=True),
        responses=MeSerializer,
    )
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        serializer = AccountSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # PATCH keeps what it does not name; someone without a profile yet (staff) starts
        # from "prefer not to say".
        known = {"gender": None, "age": None, "occupation": None, "zip_code": ""}
        current = profile_for(user=request.user)
        if partial and current:
            known.update(DemographicsSerializer(current).data)
        request.user.profile = profile_update(
            user=request.user, **{**known, **serializer.validated_data}
        )
        return Response(MeSerializer(request.user).data)
