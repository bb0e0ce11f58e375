"""How the service is deployed, read from ``LAMBDA_*`` environment variables.

The service's own settings, those of the running function, are in ``function.env``:
``DeploySettings.function_environment()`` reads them.
"""

from pathlib import Path
from typing import Final, Literal

from aws_cdk.aws_logs import RetentionDays
from dotenv import dotenv_values
from pydantic import Field, FilePath, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INFRA_DIR: Final = Path(__file__).resolve().parents[2]
PROJECT_DIR: Final = INFRA_DIR.parent

# The retention periods CloudWatch Logs accepts, in days.
RETENTION: Final[dict[int, RetentionDays]] = {
    1: RetentionDays.ONE_DAY,
    3: RetentionDays.THREE_DAYS,
    5: RetentionDays.FIVE_DAYS,
    7: RetentionDays.ONE_WEEK,
    14: RetentionDays.TWO_WEEKS,
    30: RetentionDays.ONE_MONTH,
    60: RetentionDays.TWO_MONTHS,
    90: RetentionDays.THREE_MONTHS,
    120: RetentionDays.FOUR_MONTHS,
    150: RetentionDays.FIVE_MONTHS,
    180: RetentionDays.SIX_MONTHS,
    365: RetentionDays.ONE_YEAR,
    400: RetentionDays.THIRTEEN_MONTHS,
    545: RetentionDays.EIGHTEEN_MONTHS,
    731: RetentionDays.TWO_YEARS,
    1096: RetentionDays.THREE_YEARS,
    1827: RetentionDays.FIVE_YEARS,
    2192: RetentionDays.SIX_YEARS,
    2557: RetentionDays.SEVEN_YEARS,
    2922: RetentionDays.EIGHT_YEARS,
    3288: RetentionDays.NINE_YEARS,
    3653: RetentionDays.TEN_YEARS,
}


class SettingsError(SystemExit):
    """Invalid deployment settings: stops the app with one readable line per bad variable."""


class DeploySettings(BaseSettings):
    """The function and its API, from ``LAMBDA_MEMORY_MB`` and the like; an empty variable
    counts as unset."""

    model_config = SettingsConfigDict(
        env_prefix="LAMBDA_", env_ignore_empty=True, extra="ignore", frozen=True
    )

    memory_mb: int = Field(
        default=512, ge=128, le=10240, description="Memory in MB; CPU grows with it."
    )
    timeout_seconds: int = Field(
        default=29,
        ge=1,
        le=30,
        description="Seconds an invocation may run; API Gateway's HTTP API waits 30 at most.",
    )
    architecture: Literal["arm64", "x86_64"] = Field(
        default="arm64", description="The processor; the package must be built for it."
    )
    # High enough for an ordinary service's traffic, low enough to cap what a runaway client
    # costs; per-caller limits are the service's own (RATE_LIMITS).
    throttle_burst: int = Field(
        default=200,
        ge=0,
        le=5000,
        description="Requests API Gateway admits at once before it answers 429 (the burst).",
    )
    throttle_rate: float = Field(
        default=100,
        ge=0,
        le=10000,
        description="Requests a second API Gateway admits, on average, across every caller.",
    )
    log_retention_days: int = Field(
        default=30, description="Days CloudWatch Logs keeps the function's logs."
    )
    package_dir: Path = Field(
        default=PROJECT_DIR / "build" / "lambda",
        description="The function's code and dependencies (make lambda-package fills it).",
    )
    environment_file: FilePath = Field(
        default=INFRA_DIR / "function.env",
        validate_default=True,
        description="The service's settings in the function, one NAME=value a line.",
    )
    stack_name: str = Field(
        default="{{ cookiecutter.project_slug }}",
        pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$",
        description="The CloudFormation stack's name.",
    )
    tracing: bool = Field(
        default={{ "True" if cookiecutter.tracing != "none" else "False" }},
        description="X-Ray active tracing and the OpenTelemetry collector layer.",
    )

    @field_validator("log_retention_days")
    @classmethod
    def _retention_cloudwatch_accepts(cls, days: int) -> int:
        if days not in RETENTION:
            accepted = ", ".join(str(value) for value in RETENTION)
            raise ValueError(f"CloudWatch Logs keeps logs for {accepted} days, not {days}")
        return days

    @property
    def log_retention(self) -> RetentionDays:
        return RETENTION[self.log_retention_days]

    def function_environment(self) -> dict[str, str]:
        """The function's variables from the environment file. ``${NAME}`` in a value is NAME
        in the deploying shell; a variable left empty is not set (the service's default
        applies)."""
        values = dotenv_values(self.environment_file, interpolate=True)
        return {name: value for name, value in values.items() if value}


def describe(error: ValidationError) -> str:
    """One line per invalid variable, named as it is set in the environment."""
    prefix = DeploySettings.model_config.get("env_prefix") or ""
    lines = []
    for problem in error.errors(include_url=False):
        name = "_".join(str(part) for part in problem["loc"])
        variable = (prefix + name).upper() if name else "settings"
        lines.append(f"invalid setting {variable}: {problem['msg']}")
    return "\n".join(lines)


def load() -> DeploySettings:
    """The settings from the environment; invalid ones stop the app with a clear message."""
    try:
        return DeploySettings()
    except ValidationError as error:
        raise SettingsError(describe(error)) from None
