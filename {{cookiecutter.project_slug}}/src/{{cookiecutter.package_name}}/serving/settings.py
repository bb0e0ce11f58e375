"""How the model is served, from ``MODEL_*`` variables."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..config import feature_settings


class ServingSettings(BaseSettings):
    model_config = feature_settings("MODEL_")

    preload: bool = Field(
        default=False,
        description="Load the model once in gunicorn's master, before the workers fork, so they "
        "share its memory (it is only read). Off: each worker loads its own after the fork.",
    )
    max_batch_size: int = Field(
        default=64, ge=1, le=10_000, description="Instances per prediction request, at most."
    )
    inference_threads: int = Field(
        default=1, ge=1, le=64, description="Threads per worker running predictions."
    )
    max_instances_per_call: int = Field(
        default=512,
        ge=1,
        le=100_000,
        description="Instances of the requests waiting for a thread predicted together in one "
        "model call, at most (1: each request's batch alone; a batch larger than this goes "
        "alone).",
    )
