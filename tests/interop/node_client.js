// Interop client: @grpc/grpc-js with @grpc/proto-loader calling a running Tracker server.
//
// Usage: node node_client.js HOST:PORT PROTO_DIR...
//
// Loads grpc/health/v1/health.proto and testing/echo/v1/echo.proto from the given include
// directories, makes each call below in turn and prints one JSON object per line:
//   {"call": NAME, "code": STATUS_NAME, "details": MESSAGE, "messages": [response, ...]}
// It exits 0 once every call has been made, whatever statuses they ended with: the test that
// runs this script decides which statuses are right.
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

// Long enough for any healthy call on a loaded machine, short enough to end a test quickly.
const DEADLINE_MILLISECONDS = 1000;

const statusNames = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

function load(includeDirs) {
  const definition = protoLoader.loadSync(
    ['grpc/health/v1/health.proto', 'testing/echo/v1/echo.proto'],
    { includeDirs, keepCase: true, enums: String, longs: String, defaults: false, oneofs: true });
  return grpc.loadPackageDefinition(definition);
}

function deadline(milliseconds) {
  return milliseconds === undefined ? {} : { deadline: Date.now() + milliseconds };
}

function failure(error, messages) {
  return { code: statusNames[error.code], details: error.details || '', messages };
}

function unary(client, method, request, milliseconds) {
  return new Promise((resolve) => {
    client[method](request, new grpc.Metadata(), deadline(milliseconds), (error, response) => {
      resolve(error ? failure(error, []) : { code: 'OK', details: '', messages: [response] });
    });
  });
}

function serverStreaming(client, method, request, milliseconds) {
  return new Promise((resolve) => {
    const messages = [];
    const call = client[method](request, new grpc.Metadata(), deadline(milliseconds));
    call.on('data', (response) => messages.push(response));
    call.on('error', (error) => resolve(failure(error, messages)));
    call.on('end', () => resolve({ code: 'OK', details: '', messages }));
  });
}

// A method the loaded protos do not have, called with raw bytes (an empty message).
function unknown(address, path) {
  return new Promise((resolve) => {
    const client = new grpc.Client(address, grpc.credentials.createInsecure());
    client.makeUnaryRequest(path, (b) => b, (b) => b, Buffer.alloc(0), (error) => {
      client.close();
      resolve(error ? failure(error, []) : { code: 'OK', details: '', messages: [] });
    });
  });
}

async function main() {
  const [address, ...includeDirs] = process.argv.slice(2);
  const loaded = load(includeDirs);
  const health = new loaded.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  const echo = new loaded.testing.echo.v1.EchoService(address, grpc.credentials.createInsecure());

  const calls = [
    ['health_check', () => unary(health, 'Check', { service: '' })],
    ['health_check_unknown_service', () => unary(health, 'Check', { service: 'no.such.Service' })],
    ['echo', () => unary(echo, 'Echo', { text: 'hello from node' })],
    ['fail_with_status', () => unary(echo, 'Fail', { code: 9, message: 'not now' })],
    ['fail_with_exception', () => unary(echo, 'Fail', { code: 0 })],
    ['sleep_past_deadline', () => unary(echo, 'Sleep', { milliseconds: 60000 }, DEADLINE_MILLISECONDS)],
    ['unknown_method', () => unknown(address, '/grpc.health.v1.Health/NoSuchMethod')],
    ['unknown_service', () => unknown(address, '/no.such.v1.Service/Call')],
    ['count', () => serverStreaming(echo, 'Count', { count: 3 })],
    ['count_then_fail', () => serverStreaming(echo, 'Count', { count: 2, fail_code: 5 })],
    ['watch_past_deadline', () => serverStreaming(health, 'Watch', { service: '' }, DEADLINE_MILLISECONDS)],
  ];

  for (const [name, call] of calls) {
    const result = await call();
    process.stdout.write(JSON.stringify({ call: name, ...result }) + '\n');
  }

  health.close();
  echo.close();
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
