"""The accounts' routes: the token endpoint and logout (``/api/v1/auth``), the users
(``/api/v1/users``), and the public keys (``/.well-known/jwks.json``)."""

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from ..auth.failures import record
from ..auth.scopes import AUTH_RESPONSES, Caller, require_scopes
from ..errors import AppError, problem_responses
from ..state import service_state
from .feature import Accounts
from .schemas import (
    PasswordChange,
    Registration,
    TokenResponse,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)
from .service import AccountService, Tokens
from .users import User

ADMIN_SCOPE = "users:admin"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749, section 5.1
FormText = Annotated[str | None, Form(max_length=4096)]


class UnsupportedGrantError(AppError):
    status = HTTPStatus.BAD_REQUEST
    error = "unsupported_grant_type"

    def __init__(self) -> None:
        super().__init__("grant_type must be password or refresh_token.")


class InvalidTokenRequestError(AppError):
    status = HTTPStatus.BAD_REQUEST
    error = "invalid_request"


def account_service(request: Request) -> AccountService:
    return service_state(request).feature(Accounts).service


Service = Annotated[AccountService, Depends(account_service)]


def client_address(request: Request) -> str:
    # As the server resolved it: X-Forwarded-For only from FORWARDED_ALLOW_IPS' proxies.
    return request.client.host if request.client else "unknown"


def token_router() -> APIRouter:
    router = APIRouter(prefix="/auth", tags=["auth"])

    @router.post(
        "/token",
        summary="Log in, or refresh (OAuth 2.0 token endpoint)",
        response_model=TokenResponse,
        responses=problem_responses(400, 429, 503),
    )
    async def token(
        request: Request,
        service: Service,
        grant_type: FormText = None,
        username: FormText = None,
        password: FormText = None,
        refresh_token: FormText = None,
        scope: FormText = None,
    ) -> JSONResponse:
        """``grant_type=password`` with ``username`` and ``password`` (and ``scope`` to ask for
        fewer scopes than the user holds), or ``grant_type=refresh_token`` with the
        ``refresh_token`` of an earlier answer, which is spent: use the new one."""
        if grant_type == "password":
            if not username or password is None:
                raise InvalidTokenRequestError("username and password are required.")
            requested = None if scope is None else frozenset(scope.split())
            tokens = await service.login(username, password, client_address(request), requested)
        elif grant_type == "refresh_token":
            if not refresh_token:
                raise InvalidTokenRequestError("refresh_token is required.")
            tokens = await service.refresh(refresh_token)
        else:
            record("unsupported_grant")
            raise UnsupportedGrantError
        return JSONResponse(token_body(tokens), headers=NO_STORE)

    @router.post(
        "/logout",
        summary="Log out: the refresh token's login ends",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=problem_responses(503),
    )
    async def logout(service: Service, refresh_token: FormText = None) -> Response:
        """Revokes every refresh token of the login; answers 204 for any token, valid or not
        (RFC 7009). Access tokens already issued expire on their own, within minutes."""
        if refresh_token:
            await service.logout(refresh_token)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def token_body(tokens: Tokens) -> dict[str, Any]:
    return TokenResponse(
        access_token=tokens.access_token,
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
        scope=" ".join(sorted(tokens.scopes)),
    ).model_dump()


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        scopes=sorted(user.scopes),
        disabled=user.disabled,
        created_at=user.created_at,
    )


class NotAUserError(AppError):
    status = HTTPStatus.FORBIDDEN

    def __init__(self) -> None:
        super().__init__("This route is for the service's own users.")


def subject_id(caller: Caller) -> int:
    try:
        return int(caller.subject)
    except ValueError:
        raise NotAUserError from None


def users_router(registration_open: bool) -> APIRouter:
    router = APIRouter(prefix="/users", tags=["users"], responses=problem_responses(503))
    admin = require_scopes(ADMIN_SCOPE)
    signed_in = require_scopes()

    # A token outlives its user's deletion: 404.
    own = {**AUTH_RESPONSES, **problem_responses(404)}

    @router.get("/me", dependencies=signed_in, responses=own)
    async def me(caller: Caller, service: Service) -> UserRead:
        return user_read(await service.user(subject_id(caller)))

    @router.put(
        "/me/password",
        status_code=status.HTTP_204_NO_CONTENT,
        dependencies=signed_in,
        responses={**own, **problem_responses(400)},
    )
    async def change_password(caller: Caller, service: Service, change: PasswordChange) -> Response:
        """Needs the current password; every login of the user ends (refresh tokens revoked)."""
        await service.change_password(
            subject_id(caller), change.current_password, change.new_password
        )
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        dependencies=admin,
        responses={**AUTH_RESPONSES, **problem_responses(400, 409)},
    )
    async def create_user(user: UserCreate, service: Service) -> UserRead:
        created = await service.create_user(user.username, user.password, frozenset(user.scopes))
        return user_read(created)

    @router.get("", dependencies=admin, responses=AUTH_RESPONSES)
    async def list_users(
        service: Service,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> UserPage:
        users, total = await service.users(limit, offset)
        items = [user_read(user) for user in users]
        return UserPage(items=items, total=total, limit=limit, offset=offset)

    @router.patch(
        "/{user_id}", dependencies=admin, responses={**AUTH_RESPONSES, **problem_responses(404)}
    )
    async def update_user(
        user_id: Annotated[int, Path(ge=1, le=2**31 - 1)], update: UserUpdate, service: Service
    ) -> UserRead:
        """Disabling a user ends their logins at once (refresh tokens revoked); access tokens
        already issued expire within ``ACCOUNTS_ACCESS_TOKEN_SECONDS``."""
        return user_read(await service.set_disabled(user_id, update.disabled))

    if registration_open:

        @router.post(
            "/register",
            status_code=status.HTTP_201_CREATED,
            responses=problem_responses(400, 409),
        )
        async def register(registration: Registration, service: Service) -> UserRead:
            """Self-registration (``ACCOUNTS_REGISTRATION``): a taken name is a 409 with the same
            answer as any name the service will not take."""
            created = await service.create_user(
                registration.username, registration.password, service.registration_scopes
            )
            return user_read(created)

    return router


def jwks_router(jwks: dict[str, Any]) -> APIRouter:
    router = APIRouter(tags=["auth"])

    @router.get("/.well-known/jwks.json", summary="The public keys tokens are signed with")
    async def published_keys() -> JSONResponse:
        # Verifiers cache it; a new key is fetched by them when a token names it.
        return JSONResponse(jwks, headers={"Cache-Control": "public, max-age=300"})

    return router
