"""Calls Tracker's EventService through the Python client generated from its protos.

Creates a deployment, gets it back, searches for it, then watches its service and sees the update
made after the watch began. See README, "Clients in other languages".

Usage: python3 tracker_client.py HOST:PORT SERVICE
with the generated modules beside it (bash examples/clients/generate.sh python .) or on PYTHONPATH.
"""
import sys

import grpc

from tracker.event.v1alpha1 import event_pb2, event_service_pb2, event_service_pb2_grpc


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} HOST:PORT SERVICE   (e.g. localhost:8765 api)")
    target, service = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel(target) as channel:
        events = event_service_pb2_grpc.EventServiceStub(channel)

        created = events.CreateEvent(event_service_pb2.CreateEventRequest(
            title="Deploy api v3.2.0",
            attributes=event_pb2.EventAttributes(
                type=event_pb2.TYPE_DEPLOYMENT,
                service=service,
                environment=event_pb2.ENVIRONMENT_PRODUCTION,
                status=event_pb2.STATUS_START,
            ),
        ), timeout=30)
        print("created", created.id)

        fetched = events.GetEvent(event_service_pb2.GetEventRequest(id=created.id), timeout=30)
        print("got", fetched.id, fetched.title)

        found = events.ListEvents(event_service_pb2.ListEventsRequest(
            filter=f'service="{service}" AND environment=ENVIRONMENT_PRODUCTION', q="deploy",
        ), timeout=30)
        print("found", found.total_count, *(event.id for event in found.events))

        # From now on: the server sends the response headers once the watch is in place, so every
        # change after initial_metadata() returns is streamed.
        watch = events.WatchEvents(event_service_pb2.WatchEventsRequest(filter=f'service="{service}"'), timeout=30)
        watch.initial_metadata()
        events.UpdateEvent(event_service_pb2.UpdateEventRequest(
            id=created.id, attributes=event_pb2.EventAttributes(status=event_pb2.STATUS_SUCCESS),
        ), timeout=30)
        change = next(watch)
        print("watched", event_service_pb2.ChangeType.Name(change.change_type), change.event.id,
              event_pb2.Status.Name(change.event.attributes.status))
        watch.cancel()


if __name__ == "__main__":
    main()
