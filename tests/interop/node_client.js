// Interop client: @grpc/grpc-js with @grpc/proto-loader calling a running Tracker server.
//
// Usage: node node_client.js HOST:PORT DESCRIPTOR_SET
//
// DESCRIPTOR_SET is a serialized google.protobuf.FileDescriptorSet (imports included) of health,
// reflection v1, EventService and google.rpc, written by the test. The client loads its services
// and message types from it, makes the calls listed in main() in turn and prints one JSON object
// per line:
//   {"call": NAME, "code": STATUS_NAME, "details": MESSAGE,
//    "messages": [response, ...], "status_details": [google.rpc.Status detail, ...]}
// Responses use proto field names and enum names; each detail also has "@type". Exits 0 once
// every call has been made, whatever statuses they ended with: the test that runs this script
// decides which statuses are right.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
// proto-loader's own protobufjs, to decode grpc-status-details-bin (grpc-js leaves it as bytes);
// its descriptor extension reads a FileDescriptorSet into a Root.
const loaderDirectory = path.dirname(require.resolve('@grpc/proto-loader'));
const protobuf = require(require.resolve('protobufjs', { paths: [loaderDirectory] }));
require(require.resolve('protobufjs/ext/descriptor', { paths: [loaderDirectory] }));

// Long enough for any healthy call on a loaded machine, short enough to end a test quickly.
const DEADLINE_MILLISECONDS = 1000;
const LOADER_OPTIONS = { keepCase: true, enums: String, longs: String, defaults: false, oneofs: true };

const statusNames = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

function detailDecoder(descriptorSet) {
  const root = protobuf.Root.fromDescriptor(descriptorSet);
  const status = root.lookupType('google.rpc.Status');
  return (metadata) => {
    const [bytes] = metadata ? metadata.get('grpc-status-details-bin') : [];
    if (!bytes) {
      return [];
    }
    return status.decode(bytes).details.map((any) => {
      const typeName = any.type_url.split('/').pop();
      const detail = root.lookupType(typeName).decode(any.value);
      return { '@type': typeName, ...root.lookupType(typeName).toObject(detail, { enums: String }) };
    });
  };
}

function callOptions(milliseconds) {
  return milliseconds === undefined ? {} : { deadline: Date.now() + milliseconds };
}

function main() {
  const [address, descriptorSetFile] = process.argv.slice(2);
  const descriptorSet = fs.readFileSync(descriptorSetFile);
  const loaded = grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(descriptorSet, LOADER_OPTIONS));
  const credentials = grpc.credentials.createInsecure();
  const health = new loaded.grpc.health.v1.Health(address, credentials);
  const events = new loaded.tracker.event.v1alpha1.EventService(address, credentials);
  const reflection = new loaded.grpc.reflection.v1.ServerReflection(address, credentials);
  const generic = new grpc.Client(address, credentials);
  const decodeDetails = detailDecoder(descriptorSet);

  const ok = (messages) => ({ code: 'OK', details: '', messages, status_details: [] });
  const failure = (error, messages) => ({
    code: statusNames[error.code], details: error.details || '', messages, status_details: decodeDetails(error.metadata),
  });

  const unary = (client, method, request, milliseconds) => new Promise((resolve) => {
    client[method](request, new grpc.Metadata(), callOptions(milliseconds), (error, response) =>
      resolve(error ? failure(error, []) : ok([response])));
  });

  const serverStreaming = (client, method, request, milliseconds) => new Promise((resolve) => {
    const messages = [];
    const call = client[method](request, new grpc.Metadata(), callOptions(milliseconds));
    call.on('data', (response) => messages.push(response));
    call.on('error', (error) => resolve(failure(error, messages)));
    call.on('end', () => resolve(ok(messages)));
  });

  const bidiStreaming = (client, method, requests, summarize) => new Promise((resolve) => {
    const messages = [];
    const call = client[method]();
    call.on('data', (response) => messages.push(summarize(response)));
    call.on('error', (error) => resolve(failure(error, messages)));
    call.on('end', () => resolve(ok(messages)));
    requests.forEach((request) => call.write(request));
    call.end();
  });

  // A method the loaded protos do not have, called with an empty message as raw bytes.
  const unknown = (methodPath) => new Promise((resolve) => {
    generic.makeUnaryRequest(methodPath, (b) => b, (b) => b, Buffer.alloc(0), (error) =>
      resolve(error ? failure(error, []) : ok([])));
  });

  const summarizeReflection = (response) => {
    const kind = response.message_response;
    const answer = response[kind];
    if (kind === 'list_services_response') {
      return { kind, gist: answer.service.map((s) => s.name) };
    }
    if (kind === 'file_descriptor_response') {
      return { kind, gist: answer.file_descriptor_proto.map(fileName) };
    }
    return { kind, gist: answer };
  };

  let created = {};
  const calls = [
    ['health_check', () => unary(health, 'Check', { service: '' })],
    ['health_check_unknown_service', () => unary(health, 'Check', { service: 'no.such.Service' })],
    ['create_event', async () => {
      const result = await unary(events, 'CreateEvent', {
        title: 'deployed by the node interop client',
        attributes: { type: 'TYPE_DEPLOYMENT', service: 'interop-node' },
      });
      created = result.messages[0] || {};
      return result;
    }],
    ['get_created_event', () => unary(events, 'GetEvent', { id: created.id || '' })],
    ['create_invalid_event', () => unary(events, 'CreateEvent', {})],
    ['get_missing_event', () => unary(events, 'GetEvent', { id: '01900000-0000-7000-8000-000000000000' })],
    ['unknown_method', () => unknown('/tracker.event.v1alpha1.EventService/NoSuchMethod')],
    ['unknown_service', () => unknown('/no.such.v1.Service/Call')],
    ['watch_events', async () => {
      // One more event, then a watch from the first: it comes, then the deadline.
      await unary(events, 'CreateEvent', {
        title: 'watched by the node interop client',
        attributes: { type: 'TYPE_DEPLOYMENT', service: 'interop-node' },
      });
      return serverStreaming(events, 'WatchEvents', { filter: 'service="interop-node"', after_id: created.id || '' }, DEADLINE_MILLISECONDS);
    }],
    ['watch_past_deadline', () => serverStreaming(health, 'Watch', { service: '' }, DEADLINE_MILLISECONDS)],
    ['reflection_stream', () => bidiStreaming(reflection, 'ServerReflectionInfo', [
      { list_services: '' },
      { file_containing_symbol: 'tracker.event.v1alpha1.EventService' },
      { file_containing_symbol: 'no.such.Symbol' },
    ], summarizeReflection)],
  ];

  return (async () => {
    for (const [name, call] of calls) {
      const result = await call();
      process.stdout.write(JSON.stringify({ call: name, ...result }) + '\n');
    }
    [health, events, reflection, generic].forEach((client) => client.close());
  })();
}

// The name (field 1) of a serialized google.protobuf.FileDescriptorProto.
function fileName(bytes) {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) {
      return reader.string();
    }
    reader.skipType(tag & 7);
  }
  return '';
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
