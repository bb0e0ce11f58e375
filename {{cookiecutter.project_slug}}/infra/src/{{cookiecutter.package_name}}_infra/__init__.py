"""The service on AWS Lambda, as an AWS CDK app: the function behind an API Gateway HTTP API
(``stack.py``), configured by ``LAMBDA_*`` variables (``settings.py``)."""

# The CDK command line the app is synthesised and deployed with (`npx aws-cdk@2.1148.1 ...`),
# pinned: another major version may not read the cloud assembly aws-cdk-lib writes.
CDK_CLI = "aws-cdk@2.1148.1"
