"""The service as an AWS Lambda function behind API Gateway: the same app, built once per
execution environment (``runtime.py``), entered through ``handler.handler``."""
