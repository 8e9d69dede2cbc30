"""Signing up from an app, JWT tokens, and the signed-in person's own account."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from catalog.selectors import profile_for
from catalog.services.accounts import profile_update, user_sign_up
from core.limits import client_address, login_attempt, sign_up_attempt_take
from movierec_site.api.serializers import (
    AccountSerializer,
    CheckedTokenRefreshSerializer,
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
            " person prefers not to give. Limited per client address (429)."
        ),
        request=RegisterSerializer,
        responses={201: RegisteredSerializer},
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sign_up_attempt_take(address=client_address(request))
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
    description=(
        "After a few failed attempts on one account, or more from one client address, both"
        " are locked out for a while: 429, with `extra.retry_after` in seconds."
    ),
    request=CredentialsSerializer,
    responses=TokenPairSerializer,
)
class TokenObtainThrottledView(TokenObtainPairView):
    throttle_scope = AUTH_SCOPE
    serializer_class = with_text_rules(TokenObtainPairSerializer)

    def post(self, request, *args, **kwargs):
        # Types first: a malformed body is a 400, not an attempt on anyone's account.
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        username = credentials.validated_data["username"]
        with login_attempt(username=username, address=client_address(request)):
            return super().post(request, *args, **kwargs)


@extend_schema(
    tags=["auth"],
    summary="Exchange a refresh token for new tokens",
    description=(
        "Answers a new access token and a new refresh token; the refresh token sent is"
        " revoked, so each works once. 401 if it was revoked (used, logged out, or its"
        " person has a new password since) or its person is gone."
    ),
    request=RefreshTokenSerializer,
    responses=TokenPairSerializer,
)
class TokenRefreshThrottledView(TokenRefreshView):
    throttle_scope = AUTH_SCOPE
    serializer_class = with_text_rules(CheckedTokenRefreshSerializer)


class LogoutView(APIView):
    permission_classes = [AllowAny]  # the refresh token is the credential

    @extend_schema(
        tags=["auth"],
        summary="Log out: revoke a refresh token",
        description=(
            "The refresh token can no longer be exchanged; access tokens given with it work"
            " until they expire (minutes). 401 if the token is invalid or already revoked."
        ),
        request=RefreshTokenSerializer,
        responses={204: None},
    )
    def post(self, request):
        serializer = RefreshTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as error:
            raise InvalidToken(error.args[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


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
