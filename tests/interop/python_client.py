#!/usr/bin/python3
"""Interop client: Python grpc (Debian's python3-grpcio) calling a running Tracker server.

Usage: python_client.py HOST:PORT DESCRIPTOR_SET

DESCRIPTOR_SET is a serialized google.protobuf.FileDescriptorSet (imports included, each file
after its imports) holding grpc/health/v1/health.proto and testing/echo/v1/echo.proto; the
message classes are built from it, so the Python protobuf runtime encodes and decodes.

Prints one JSON object per line, one per call:
  {"call": NAME, "code": STATUS_NAME, "details": MESSAGE, "messages": [response as JSON, ...]}
and exits 0 once every call has been made, whatever statuses they ended with: the test that
runs this script decides which statuses are right.
"""

import json
import sys

import grpc
from google.protobuf import descriptor_pb2, json_format, message_factory

# Long enough for any healthy call on a loaded machine, short enough to end a test quickly.
DEADLINE_SECONDS = 1.0


def load_types(path):
    with open(path, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
    return message_factory.GetMessages(files)


def to_json(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def unary(channel, path, request, response_type, timeout=None):
    call = channel.unary_unary(
        path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_type.FromString,
    )
    try:
        response = call(request, timeout=timeout)
        return "OK", "", [to_json(response)]
    except grpc.RpcError as error:
        return error.code().name, error.details() or "", []


def server_streaming(channel, path, request, response_type, timeout=None):
    call = channel.unary_stream(
        path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_type.FromString,
    )
    messages = []
    try:
        for response in call(request, timeout=timeout):
            messages.append(to_json(response))
        return "OK", "", messages
    except grpc.RpcError as error:
        return error.code().name, error.details() or "", messages


def main():
    target, descriptor_set = sys.argv[1], sys.argv[2]
    types = load_types(descriptor_set)
    check = types["grpc.health.v1.HealthCheckRequest"]
    check_response = types["grpc.health.v1.HealthCheckResponse"]
    echo = types["testing.echo.v1.EchoRequest"]
    echo_response = types["testing.echo.v1.EchoResponse"]
    fail = types["testing.echo.v1.FailRequest"]
    sleep = types["testing.echo.v1.SleepRequest"]
    count = types["testing.echo.v1.CountRequest"]

    calls = [
        ("health_check", lambda c: unary(c, "/grpc.health.v1.Health/Check", check(service=""), check_response)),
        ("health_check_unknown_service", lambda c: unary(
            c, "/grpc.health.v1.Health/Check", check(service="no.such.Service"), check_response)),
        ("echo", lambda c: unary(c, "/testing.echo.v1.EchoService/Echo", echo(text="hello from python"), echo_response)),
        ("fail_with_status", lambda c: unary(
            c, "/testing.echo.v1.EchoService/Fail", fail(code=9, message="not now"), echo_response)),
        ("fail_with_exception", lambda c: unary(c, "/testing.echo.v1.EchoService/Fail", fail(code=0), echo_response)),
        ("sleep_past_deadline", lambda c: unary(
            c, "/testing.echo.v1.EchoService/Sleep", sleep(milliseconds=60000), echo_response, DEADLINE_SECONDS)),
        ("unknown_method", lambda c: unary(c, "/grpc.health.v1.Health/NoSuchMethod", check(), check_response)),
        ("unknown_service", lambda c: unary(c, "/no.such.v1.Service/Call", check(), check_response)),
        ("count", lambda c: server_streaming(c, "/testing.echo.v1.EchoService/Count", count(count=3), echo_response)),
        ("count_then_fail", lambda c: server_streaming(
            c, "/testing.echo.v1.EchoService/Count", count(count=2, fail_code=5), echo_response)),
        ("watch_past_deadline", lambda c: server_streaming(
            c, "/grpc.health.v1.Health/Watch", check(service=""), check_response, DEADLINE_SECONDS)),
    ]

    with grpc.insecure_channel(target) as channel:
        for name, make_call in calls:
            code, details, messages = make_call(channel)
            print(json.dumps({"call": name, "code": code, "details": details, "messages": messages}), flush=True)


if __name__ == "__main__":
    main()
