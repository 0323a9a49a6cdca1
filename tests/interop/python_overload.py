"""Python grpc (Debian's python3-grpcio) against a Tracker whose limits are one read slot and no
queue (OverloadInteropTests): a burst without retries, then the same burst from a channel whose
retry policy retries RESOURCE_EXHAUSTED. Its backoff is ten minutes, so the retries come back
within the deadline only if the client waits the server's grpc-retry-pushback-ms instead
(gRPC proposal A6). Prints one JSON object: the codes and pushbacks of the first burst, the codes
of the second.

    /usr/bin/python3 python_overload.py HOST:PORT
"""
import collections
import concurrent.futures
import json
import sys

import grpc

LIST_EVENTS = "/tracker.event.v1alpha1.EventService/ListEvents"
RETRY_ON_RESOURCE_EXHAUSTED = json.dumps({"methodConfig": [{
    "name": [{"service": "tracker.event.v1alpha1.EventService"}],
    "retryPolicy": {
        "maxAttempts": 5,
        "initialBackoff": "600s",
        "maxBackoff": "600s",
        "backoffMultiplier": 1,
        "retryableStatusCodes": ["RESOURCE_EXHAUSTED"],
    },
}]})


def burst(channel, calls):
    """Sends `calls` empty ListEventsRequests at once; returns (code name, pushback) per call."""
    list_events = channel.unary_unary(LIST_EVENTS, request_serializer=bytes, response_deserializer=bytes)

    def one(_):
        try:
            list_events(b"", timeout=30)
            return ("OK", None)
        except grpc.RpcError as error:
            return (error.code().name, dict(error.trailing_metadata() or ()).get("grpc-retry-pushback-ms"))

    with concurrent.futures.ThreadPoolExecutor(calls) as pool:
        return list(pool.map(one, range(calls)))


def main():
    target = sys.argv[1]
    with grpc.insecure_channel(target) as plain:
        first = burst(plain, 20)
    options = [("grpc.enable_retries", 1), ("grpc.service_config", RETRY_ON_RESOURCE_EXHAUSTED)]
    with grpc.insecure_channel(target, options=options) as retrying:
        second = burst(retrying, 4)
    print(json.dumps({
        "without_retry": dict(collections.Counter(code for code, _ in first)),
        "pushbacks": sorted({pushback for code, pushback in first if code == "RESOURCE_EXHAUSTED"}),
        "with_retry": dict(collections.Counter(code for code, _ in second)),
    }))


if __name__ == "__main__":
    main()
