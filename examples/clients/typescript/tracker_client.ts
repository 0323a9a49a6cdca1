// Calls Tracker's EventService through the TypeScript client generated from its protos
// (@bufbuild/protoc-gen-es) over gRPC with @connectrpc/connect-node.
//
// Creates a deployment, gets it back, searches for it, then watches its service and sees the
// update made after the watch began. See README, "Clients in other languages".
//
// Usage: npx tsx tracker_client.ts http://HOST:PORT SERVICE
// with the generated code in ./gen (bash examples/clients/generate.sh typescript .).
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Environment, Status, StatusSchema, Type } from "./gen/tracker/event/v1alpha1/event_pb";
import { ChangeTypeSchema, EventService } from "./gen/tracker/event/v1alpha1/event_service_pb";

async function main(baseUrl: string, service: string): Promise<void> {
  // gRPC over HTTP/2; an http:// URL is cleartext HTTP/2 (prior knowledge), as Tracker's :8765 speaks.
  const events = createClient(EventService, createGrpcTransport({ baseUrl }));
  const call = { timeoutMs: 30_000 };

  const created = await events.createEvent({
    title: "Deploy api v3.2.0",
    attributes: { type: Type.DEPLOYMENT, service, environment: Environment.PRODUCTION, status: Status.START },
  }, call);
  console.log("created", created.id);

  const fetched = await events.getEvent({ id: created.id }, call);
  console.log("got", fetched.id, fetched.title);

  const found = await events.listEvents({ filter: `service="${service}" AND environment=ENVIRONMENT_PRODUCTION`, q: "deploy" }, call);
  console.log("found", found.totalCount.toString(), ...found.events.map((event) => event.id));

  // From now on: the server sends the response headers once the watch is in place, so every
  // change made after onHeader is streamed. The watch never ends by itself: abort it when done,
  // or after 30 s without the change.
  const stop = new AbortController();
  const giveUp = setTimeout(() => stop.abort(), 30_000);
  let subscribed: () => void = () => {};
  const watching = new Promise<void>((resolve) => (subscribed = resolve));
  const changes = events.watchEvents({ filter: `service="${service}"` }, { signal: stop.signal, onHeader: () => subscribed() })[Symbol.asyncIterator]();
  const next = changes.next();
  await watching;
  await events.updateEvent({ id: created.id, attributes: { status: Status.SUCCESS } }, call);
  const result = await next;
  if (result.done) {
    throw new Error("the watch ended before the change");
  }
  const change = result.value;
  console.log("watched", ChangeTypeSchema.value[change.changeType].name, change.event?.id, StatusSchema.value[change.event?.attributes?.status ?? Status.UNSPECIFIED].name);
  clearTimeout(giveUp);
  stop.abort();
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
