"""``POST /api/v1/predict``: a batch of instances in, their predictions out, in order, with the
model and version that made them."""

from collections.abc import Callable
from http import HTTPStatus

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}_model import Measurements, Prediction
from {{ cookiecutter.package_name }}_model.schema import EXAMPLES

from ..errors import AppError, UnavailableError, problem_responses
from .batching import BatcherClosedError
from .inference import Inference, ModelInfo
from .json_body import JSONBodyRoute


class BatchTooLargeError(AppError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class PredictionRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"instances": [Measurements(**e).model_dump() for e in EXAMPLES]}
        }
    )

    instances: list[Measurements] = Field(min_length=1, description="The instances to predict.")


class PredictionResponse(BaseModel):
    model: ModelInfo
    predictions: list[Prediction] = Field(description="One per instance, in their order.")


def prediction_router(inference: Callable[[], Inference | None], max_batch_size: int) -> APIRouter:
    """The endpoint, predicting with what ``inference()`` returns (None until the model is
    loaded) and refusing batches of more than ``max_batch_size`` instances."""
    # Its body, the largest the service takes, parsed and validated in one pass.
    router = APIRouter(tags=["predictions"], route_class=JSONBodyRoute)

    @router.post(
        "/predict",
        response_model=PredictionResponse,
        responses=problem_responses(413, 503),
        description=f"At most {max_batch_size} instances per request (MODEL_MAX_BATCH_SIZE): "
        "a larger batch is answered 413. 503 while the model is loading, and once the worker is "
        "stopping.",
    )
    async def predict(request: PredictionRequest) -> Response:
        """Predict the species of each flower."""
        serving = inference()
        if serving is None:
            raise UnavailableError("The model is loading; retry shortly.")
        size = len(request.instances)
        if size > max_batch_size:
            raise BatchTooLargeError(
                f"A batch holds at most {max_batch_size} instances; this one has {size}."
            )
        try:
            predictions = await serving.predict(request.instances)
        except BatcherClosedError:
            raise UnavailableError("The worker is stopping; retry.") from None
        # Serialized here, once: FastAPI would validate the predictions again on the way out.
        body = PredictionResponse(model=serving.about, predictions=predictions).model_dump_json()
        return Response(body, media_type="application/json")

    return router
