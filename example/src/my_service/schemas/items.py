"""Bodies of the ``items`` resource."""

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, field_validator
from pydantic.json_schema import SkipJsonSchema

# Text without NUL characters: PostgreSQL cannot store them (and no name needs one).
WITHOUT_NUL = r"^[^\x00]*$"
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=WITHOUT_NUL),
]
Description = Annotated[str, StringConstraints(max_length=1000, pattern=WITHOUT_NUL)]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: Description | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    # None only stands for "not sent" (hidden from the schema): every item keeps a name.
    name: Name | SkipJsonSchema[None] = None
    description: Description | None = None

    @field_validator("name")
    @classmethod
    def name_is_not_null(cls, name: str | None) -> str:
        if name is None:
            raise ValueError("name cannot be null")
        return name


class ItemRead(BaseModel):
    # Built from repository records; naive timestamps (as some databases return) are refused.
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
    limit: int
    offset: int
