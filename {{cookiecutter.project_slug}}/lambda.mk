# AWS Lambda: the package, the stack (infra/) and the load test. The Makefile includes this file.
# The function's architecture: arm64 (Graviton, the cheaper) or x86_64; the stack reads the same.
LAMBDA_ARCHITECTURE ?= arm64
LAMBDA_PLATFORM := $(if $(filter arm64,$(LAMBDA_ARCHITECTURE)),aarch64,x86_64)
LAMBDA_PYTHON := {{ cookiecutter.python_version }}
LAMBDA_PACKAGE := build/lambda
# Packages of the servers (uvicorn's extras, gunicorn) that a function never imports: Lambda serves it.
SERVER_ONLY := uvloop httptools watchfiles websockets gunicorn uvicorn_worker
# The AWS CDK command line, pinned: its newest major may not read what aws-cdk-lib writes.
CDK := npx --yes aws-cdk@2.1148.1
# Run from here, in the project's environment: the app is infra/app.py (infra/cdk.json says the
# same to a cdk run in infra/).
CDK_APP := --app "python infra/app.py" --output build/cdk.out
# The load test: against URL, USERS clients for DURATION.
URL ?= http://127.0.0.1:8000
USERS ?= 20
DURATION ?= 30s
export LAMBDA_ARCHITECTURE

.PHONY: lambda-package lambda-synth lambda-deploy load-test

lambda-package: ## Build the function's code into build/lambda (wheels for Lambda, no Docker)
	rm -rf $(LAMBDA_PACKAGE) build/wheel
	python -m pip wheel --quiet --no-deps --wheel-dir build/wheel .
	python -m pip install --quiet --no-compile --target $(LAMBDA_PACKAGE) --implementation cp \
		--python-version $(LAMBDA_PYTHON) --platform manylinux2014_$(LAMBDA_PLATFORM) \
		--only-binary=:all: build/wheel/*.whl
	cd $(LAMBDA_PACKAGE) && rm -rf $(foreach name,$(SERVER_ONLY),$(name) $(name)-*.dist-info)
	@du -sh $(LAMBDA_PACKAGE)

lambda-synth: ## Synthesise the stack (infra/) and lint its template with cfn-lint
	$(RUN) $(CDK) synth $(CDK_APP) --quiet
	$(RUN) cfn-lint --ignore-checks W3005 -- build/cdk.out/*.template.json

lambda-deploy: lambda-package ## Deploy the stack with the AWS credentials of your shell
	$(RUN) $(CDK) deploy $(CDK_APP)

load-test: ## Mixed reads and writes against URL for DURATION with USERS clients; then the figures
	$(RUN) locust --locustfile tests/load/locustfile.py --headless --host $(URL) \
		--users $(USERS) --spawn-rate $(USERS) --run-time $(DURATION) --only-summary
