// A FAKE capture-media core for the Pester suite: speaks the bridge protocol (docs/bridge.md) but
// does no work. It lets the tests drive the module's event mapping (progress, log levels,
// results, errors, a core that dies, a core that waits to be cancelled) deterministically. The
// real core is tested through the same module in Bridge.Tests.ps1.
//
// Environment (all optional):
//   FAKE_BRIDGE_REQUEST_FILE  write the request line received on stdin to this file
//   FAKE_BRIDGE_EVENTS        a JSON array of events, each written as one NDJSON line
//   FAKE_BRIDGE_STDERR_BYTES  write this many bytes to stderr first (a pipe-deadlock check)
//   FAKE_BRIDGE_STDERR        text to write to stderr
//   FAKE_BRIDGE_EXIT          exit code (default 0)
//   FAKE_BRIDGE_WAIT_FOR_CANCEL=1  after the events, wait for stdin to close, then write
//                             'cancelled' to FAKE_BRIDGE_CANCEL_FILE, send a Cancelled error, exit 130
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const env = process.env;
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
let gotRequest = false;

function write(text) {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

rl.on('line', async (line) => {
  if (gotRequest) return;
  gotRequest = true;
  if (env.FAKE_BRIDGE_REQUEST_FILE) writeFileSync(env.FAKE_BRIDGE_REQUEST_FILE, line, 'utf8');
  if (env.FAKE_BRIDGE_STDERR_BYTES) process.stderr.write('e'.repeat(Number(env.FAKE_BRIDGE_STDERR_BYTES)) + '\n');
  if (env.FAKE_BRIDGE_STDERR) process.stderr.write(env.FAKE_BRIDGE_STDERR + '\n');
  const events = env.FAKE_BRIDGE_EVENTS ? JSON.parse(env.FAKE_BRIDGE_EVENTS) : [];
  for (const event of events) await write(JSON.stringify(event) + '\n');
  if (env.FAKE_BRIDGE_WAIT_FOR_CANCEL === '1') {
    const cancelled = async () => {
      if (env.FAKE_BRIDGE_CANCEL_FILE) writeFileSync(env.FAKE_BRIDGE_CANCEL_FILE, 'cancelled', 'utf8');
      await write(JSON.stringify({ type: 'error', id: 'Cancelled', category: 'OperationStopped', message: 'The operation was cancelled.' }) + '\n');
      process.exit(130);
    };
    process.stdin.on('end', cancelled);
    process.stdin.on('close', cancelled);
    process.stdin.resume();
    return;
  }
  process.exit(Number(env.FAKE_BRIDGE_EXIT ?? '0'));
});
rl.on('close', () => {
  if (!gotRequest) process.exit(2);
});
