"""The ``invocation`` stage: what Lambda and API Gateway know of a request, in its logs.

Without an ``X-Request-ID`` from the client, the request id is API Gateway's own (the one in its
access logs and in the client's ``x-amzn-requestid`` / ``apigw-requestid``), so one id follows the
request through both. Every log line of the request carries Lambda's request id
(``aws_request_id``), as Lambda's own lines in CloudWatch do.
"""

from ..context import Exchange
from ..pipeline.request_id import incoming_id
from ..pipeline.stage import Stage


class Invocation(Stage):
    name = "invocation"

    def on_request(self, exchange: Exchange) -> None:
        scope = exchange.scope
        event = scope.get("aws.event")
        if event is None:  # not through the function's handler (a test client, say)
            return
        gateway_id = event.get("requestContext", {}).get("requestId")
        if gateway_id and incoming_id(scope) is None:
            exchange.request_id = str(gateway_id)
        exchange.add_log_field("aws_request_id", scope["aws.context"].aws_request_id)
