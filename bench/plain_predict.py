"""The model-serving baseline: a plain FastAPI endpoint predicting with the same model package,
as ML tutorials write it (a ``def`` endpoint, run in FastAPI's threadpool, one request per model
call), answering the same request and response bodies as the service's ``/api/v1/predict``.

Run in the service's environment with the model package's import name in ``MODEL_PACKAGE``:
``uvicorn --app-dir bench plain_predict:app``.
"""

import importlib
import os

from fastapi import FastAPI
from pydantic import BaseModel

model_package = importlib.import_module(os.environ["MODEL_PACKAGE"])
model = model_package.load()
Measurements = model_package.Measurements
Prediction = model_package.Prediction


class PredictionRequest(BaseModel):
    instances: list[Measurements]  # type: ignore[valid-type]


class ModelInfo(BaseModel):
    name: str
    version: str


class PredictionResponse(BaseModel):
    model: ModelInfo
    predictions: list[Prediction]  # type: ignore[valid-type]


ABOUT = ModelInfo(name=model.name, version=model.version)
app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/health/ready")
async def ready() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/predict")
def predict(request: PredictionRequest) -> PredictionResponse:
    return PredictionResponse(model=ABOUT, predictions=model.predict(request.instances))
