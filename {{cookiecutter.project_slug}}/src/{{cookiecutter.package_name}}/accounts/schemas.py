"""Bodies of the accounts' routes."""

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

# A name to log in with: an e-mail address or a handle, compared case-folded.
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=254, pattern=r"^[^\s\x00]+$"),
]
# Checked against the rule (passwords.py) by the service, which says what is wrong; the bound
# here only keeps a huge body from reaching it.
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Scope = Annotated[str, StringConstraints(pattern=r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")]


class TokenResponse(BaseModel):
    """RFC 6749, section 5.1."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme's name, not a secret)
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str
    scope: str = Field(description="The scopes granted, space-separated.")


class UserRead(BaseModel):
    id: int
    username: str
    scopes: list[str]
    disabled: bool
    created_at: AwareDatetime


class UserPage(BaseModel):
    items: list[UserRead]
    total: int
    limit: int
    offset: int


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: Password
    scopes: list[Scope] = Field(default_factory=list, max_length=50)


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: Password


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: Password


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disabled: bool
