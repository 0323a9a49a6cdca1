#!/usr/bin/python3
"""Interop client: Python grpc (Debian's python3-grpcio) calling a running Tracker server.

Usage: python_client.py HOST:PORT DESCRIPTOR_SET

DESCRIPTOR_SET is a serialized google.protobuf.FileDescriptorSet (imports included, each file
after its imports) of the protos in protos/: the message classes are built from it, so the
Python protobuf runtime does all encoding and decoding.

Makes the calls listed in main() in turn and prints one JSON object per line:
  {"call": NAME, "code": STATUS_NAME, "details": MESSAGE,
   "messages": [response, ...], "status_details": [google.rpc.Status detail, ...]}
Responses and details are proto3 JSON with proto field names; each detail also has "@type".
Exits 0 once every call has been made, whatever statuses they ended with: the test that runs
this script decides which statuses are right.
"""

import json
import sys

import grpc
from google.protobuf import descriptor_pb2, json_format, message_factory

# Long enough for any healthy call on a loaded machine, short enough to end a test quickly.
DEADLINE_SECONDS = 1.0
EVENT_SERVICE = "/tracker.event.v1alpha1.EventService/"


class Client:
    def __init__(self, channel, descriptor_set):
        with open(descriptor_set, "rb") as f:
            files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
        self.types = message_factory.GetMessages(files)
        self.channel = channel

    def message(self, type_name, fields):
        return json_format.ParseDict(fields, self.types[type_name]())

    def to_json(self, message):
        return json_format.MessageToDict(message, preserving_proto_field_name=True)

    def status_details(self, error):
        """The typed details of google.rpc.Status from the grpc-status-details-bin trailer."""
        for key, value in error.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                status = self.types["google.rpc.Status"].FromString(value)
                details = []
                for detail in status.details:
                    type_name = detail.type_url.split("/")[-1]
                    unpacked = self.types[type_name].FromString(detail.value)
                    details.append({"@type": type_name, **self.to_json(unpacked)})
                return details
        return []

    def result(self, code, details="", messages=(), status_details=()):
        return {"code": code, "details": details, "messages": list(messages), "status_details": list(status_details)}

    def failure(self, error, messages=()):
        return self.result(error.code().name, error.details() or "", messages, self.status_details(error))

    def unary(self, path, request, response_type, timeout=None):
        call = self.channel.unary_unary(
            path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=self.types[response_type].FromString)
        try:
            return self.result("OK", messages=[self.to_json(call(request, timeout=timeout))])
        except grpc.RpcError as error:
            return self.failure(error)

    def server_streaming(self, path, request, response_type, timeout=None):
        call = self.channel.unary_stream(
            path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=self.types[response_type].FromString)
        messages = []
        try:
            for response in call(request, timeout=timeout):
                messages.append(self.to_json(response))
            return self.result("OK", messages=messages)
        except grpc.RpcError as error:
            return self.failure(error, messages)

    def bidi_streaming(self, path, requests, response_type, summarize):
        call = self.channel.stream_stream(
            path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=self.types[response_type].FromString)
        messages = []
        try:
            for response in call(iter(requests)):
                messages.append(summarize(response))
            return self.result("OK", messages=messages)
        except grpc.RpcError as error:
            return self.failure(error, messages)


def summarize_reflection(response):
    """The question answered and the gist of the answer (descriptors are too long to print)."""
    kind = response.WhichOneof("message_response")
    if kind == "list_services_response":
        gist = [s.name for s in response.list_services_response.service]
    elif kind == "file_descriptor_response":
        gist = [descriptor_pb2.FileDescriptorProto.FromString(b).name for b in response.file_descriptor_response.file_descriptor_proto]
    else:
        gist = json_format.MessageToDict(getattr(response, kind), preserving_proto_field_name=True)
    return {"kind": kind, "gist": gist}


def main():
    target, descriptor_set = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel(target) as channel:
        client = Client(channel, descriptor_set)
        check = lambda service: client.message("grpc.health.v1.HealthCheckRequest", {"service": service})
        health = "grpc.health.v1.HealthCheckResponse"
        event = "tracker.event.v1alpha1.Event"
        created = {}

        def create_event():
            request = client.message("tracker.event.v1alpha1.CreateEventRequest", {
                "title": "deployed by the python interop client",
                "attributes": {"type": "TYPE_DEPLOYMENT", "service": "interop-python"},
            })
            result = client.unary(EVENT_SERVICE + "CreateEvent", request, event)
            created.update(result["messages"][0] if result["messages"] else {})
            return result

        def watch_events():
            """Creates one more event, then watches from the first: it comes, then the deadline."""
            client.unary(EVENT_SERVICE + "CreateEvent", client.message("tracker.event.v1alpha1.CreateEventRequest", {
                "title": "watched by the python interop client",
                "attributes": {"type": "TYPE_DEPLOYMENT", "service": "interop-python"},
            }), event)
            request = client.message("tracker.event.v1alpha1.WatchEventsRequest", {
                "filter": 'service="interop-python"', "after_id": created.get("id", ""),
            })
            return client.server_streaming(
                EVENT_SERVICE + "WatchEvents", request, "tracker.event.v1alpha1.WatchEventsResponse", DEADLINE_SECONDS)

        reflection_requests = [
            client.message("grpc.reflection.v1.ServerReflectionRequest", {"list_services": ""}),
            client.message("grpc.reflection.v1.ServerReflectionRequest",
                           {"file_containing_symbol": "tracker.event.v1alpha1.EventService"}),
            client.message("grpc.reflection.v1.ServerReflectionRequest", {"file_containing_symbol": "no.such.Symbol"}),
        ]

        calls = [
            ("health_check", lambda: client.unary("/grpc.health.v1.Health/Check", check(""), health)),
            ("health_check_unknown_service", lambda: client.unary(
                "/grpc.health.v1.Health/Check", check("no.such.Service"), health)),
            ("create_event", create_event),
            ("get_created_event", lambda: client.unary(
                EVENT_SERVICE + "GetEvent", client.message("tracker.event.v1alpha1.GetEventRequest", {"id": created.get("id", "")}), event)),
            ("create_invalid_event", lambda: client.unary(
                EVENT_SERVICE + "CreateEvent", client.message("tracker.event.v1alpha1.CreateEventRequest", {}), event)),
            ("get_missing_event", lambda: client.unary(
                EVENT_SERVICE + "GetEvent",
                client.message("tracker.event.v1alpha1.GetEventRequest", {"id": "01900000-0000-7000-8000-000000000000"}), event)),
            ("unknown_method", lambda: client.unary(EVENT_SERVICE + "NoSuchMethod", check(""), health)),
            ("unknown_service", lambda: client.unary("/no.such.v1.Service/Call", check(""), health)),
            ("watch_events", watch_events),
            ("watch_past_deadline", lambda: client.server_streaming(
                "/grpc.health.v1.Health/Watch", check(""), health, DEADLINE_SECONDS)),
            ("reflection_stream", lambda: client.bidi_streaming(
                "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", reflection_requests,
                "grpc.reflection.v1.ServerReflectionResponse", summarize_reflection)),
        ]

        for name, make_call in calls:
            print(json.dumps({"call": name, **make_call()}), flush=True)


if __name__ == "__main__":
    main()
