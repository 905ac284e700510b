// Hostile INFs: each gives a typed result (read with problems, or rejected) in bounded time and
// memory, never a throw or a hang. Then a seeded mutational fuzz over real-shaped INFs (ANSI and
// UTF-16): any exception is a bug; a failing input replays from (seed, index).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INF_MAX_BYTES, parseInf, readInf } from '../../src/inf/index.js';
import { LINE_MAX_CHARS } from '../../src/inf/lines.js';
import { SUBSTITUTION_MAX_CHARS } from '../../src/inf/document.js';
import { netInf, nvmeInf, utf16 } from '../helpers/inf-samples.js';
import { xorshift32 } from '../helpers/xorshift.js';

const X64 = { architecture: 'x64', version: '10.0.26100.1' } as const;

/**
 * Hostile inputs may be slow-ish, never unbounded: a generous ceiling on this process's CPU time
 * (not wall time, which other work on a shared machine inflates) that a hang or a quadratic
 * blow-up would not stay under.
 */
function timed<T>(what: string, fn: () => T, ceilingMs = 5000): T {
  const started = process.cpuUsage();
  const out = fn();
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  assert.ok(ms < ceilingMs, `${what} took ${ms.toFixed(0)} ms of CPU`);
  return out;
}

describe('hostile INFs', () => {
  it('larger than INF_MAX_BYTES: rejected without being parsed', () => {
    const r = timed('huge', () => readInf(new Uint8Array(INF_MAX_BYTES + 1), X64));
    assert.equal(r.kind, 'rejected');
    assert.match(r.kind === 'rejected' ? r.reason : '', /larger than/);
  });

  it('one entry continued over 2 million lines is cut at LINE_MAX_CHARS, in linear time', () => {
    const text = `[Version]\nClass=Net\n[A]\nk = ${'v, \\\n'.repeat(2_000_000)}end\n`;
    const doc = timed('continued', () => {
      const d = parseInf(Buffer.from(text));
      d.section('A');
      return d;
    });
    assert.ok(doc.problems.some((p) => p.includes(`longer than ${LINE_MAX_CHARS}`)), doc.problems.join('; '));
    assert.equal(doc.section('A')!.lines.length, 1);
    assert.ok(doc.section('A')!.lines[0]!.values.length <= LINE_MAX_CHARS);
  });

  it('a line of 8 million backslashes and one of 8 million quotes stay linear', () => {
    timed('backslashes', () => parseInf(Buffer.from(`[A]\nk=${'\\'.repeat(8_000_000)}x\n`)).section('A'));
    timed('quotes', () => parseInf(Buffer.from(`[A]\nk=${'"'.repeat(8_000_001)}\n`)).section('A'));
    timed('commas', () => parseInf(Buffer.from(`[A]\nk=${','.repeat(200_000)}\n`)).section('A'));
    const lines = parseInf(Buffer.from(`[A]\n${'a=b,c\n'.repeat(600_000)}`));
    timed('many lines', () => lines.section('A'));
    assert.ok(lines.problems.some((p) => p.includes('keys and values')), lines.problems.join('; '));
  });

  it('substitution that would expand to gigabytes stops at SUBSTITUTION_MAX_CHARS', () => {
    const big = 'x'.repeat(60_000);
    const line = Array.from({ length: 3000 }, () => '%a%').join('');
    const text = `[Strings]\na="${big}"\n[A]\n${Array.from({ length: 100 }, (_, i) => `k${i}=${line}`).join('\n')}\n`;
    const doc = timed('amplification', () => {
      const d = parseInf(Buffer.from(text));
      d.section('A');
      return d;
    });
    assert.ok(doc.problems.some((p) => p.includes(String(SUBSTITUTION_MAX_CHARS))));
    const total = doc.section('A')!.lines.reduce((n, l) => n + l.values.join('').length, 0);
    assert.ok(total <= SUBSTITUTION_MAX_CHARS + 100 * line.length, `${total} characters`);
  });

  it('strings that refer to each other in a loop end after one substitution', () => {
    const doc = timed('loop', () => parseInf(Buffer.from('[Strings]\na=%b%\nb=%a%\nc=%c%%c%\n[A]\nk=%a%,%c%\n')));
    assert.deepEqual(doc.section('A')!.valuesOf('k'), ['%b%', '%c%%c%']);
  });

  it('malformed UTF-16: lone surrogates everywhere, odd length, NULs', () => {
    const bytes = new Uint8Array(200_001);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 2; i + 1 < bytes.length; i += 2) bytes[i + 1] = 0xdc;
    const r = timed('utf16', () => readInf(bytes, X64));
    assert.equal(r.kind, 'rejected');
    const nuls = readInf(Buffer.from(`[Version]\0\nClass=\0Net\0\n`), X64);
    assert.equal(nuls.kind, 'read');
  });

  it('a [Manufacturer] with 100,000 lines pointing at one huge models section is read once', () => {
    const text = `[Version]\nClass=Net\n[Manufacturer]\n${'M=S,NTamd64\n'.repeat(100_000)}[S.NTamd64]\n${'d=i,PCI\\VEN_1&DEV_2\n'.repeat(50_000)}`;
    const r = timed('manufacturer', () => readInf(Buffer.from(text), X64));
    assert.equal(r.kind === 'read' ? r.driver.models.length : -1, 50_000);
  });
});

describe('INF fuzz', () => {
  it('3,000 mutated INFs (ANSI and UTF-16 seeds): always a typed result, never an exception', () => {
    const seed = Number(process.env.CAPTUREMEDIA_FUZZ_SEED ?? 20261204);
    const seeds = [Buffer.from(netInf()), utf16(netInf()), Buffer.from(nvmeInf()), utf16(nvmeInf())];
    const tokens = ['\\', '"', ';', ',', '=', '%', '[', ']', '\r\n', '\n', '%Intel%', '\uFFFF', '\u0000'].map((t) => Buffer.from(t, 'latin1'));
    let read = 0;
    let rejected = 0;
    let slowest = 0;
    for (let index = 0; index < 3000; index++) {
      const rand = xorshift32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
      const base = seeds[rand() % seeds.length]!;
      let bytes = Buffer.from(base);
      const ops = 1 + (rand() % 8);
      for (let op = 0; op < ops; op++) {
        const at = rand() % Math.max(1, bytes.length);
        switch (rand() % 5) {
          case 0:
            bytes[at] = rand() & 0xff;
            break;
          case 1:
            bytes = Buffer.concat([bytes.subarray(0, at), tokens[rand() % tokens.length]!, bytes.subarray(at)]);
            break;
          case 2:
            bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + (rand() % 64)))]);
            break;
          case 3: {
            const len = 1 + (rand() % 256);
            bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]);
            break;
          }
          default:
            bytes = bytes.subarray(0, at);
        }
      }
      const started = performance.now();
      let result;
      try {
        result = readInf(bytes, index % 2 ? X64 : { architecture: 'arm64' });
      } catch (error: unknown) {
        assert.fail(`seed ${seed} input ${index}: ${error instanceof Error ? error.stack : String(error)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      if (result.kind === 'read') read++;
      else rejected++;
    }
    assert.ok(read > 0 && rejected > 0, `read ${read}, rejected ${rejected}`);
    assert.ok(slowest < 1000, `slowest input took ${slowest.toFixed(1)} ms`);
  });
});
