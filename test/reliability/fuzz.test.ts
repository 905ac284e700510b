// The CI slice of scripts/fuzz.ts (the nightly run is `npm run fuzz -- --iterations 100000`):
// 6,000 mutated inputs over the WIM reader, the INI parser, the ISO and FAT32 readers and verify
// (whose oracle: a changed byte of file data must never verify), with a
// fixed seed so a failure here replays exactly with `npm run fuzz -- --targets T --from N --count 1`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputSeed, mutate, Rand, runFuzz, TARGETS } from '../../scripts/fuzz.js';

test('the mutator is deterministic for a (seed, target, index)', () => {
  const seed = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
  const region = [{ name: 'all', start: 0, end: seed.length, weight: 1 }];
  const a = mutate(seed, region, new Rand(inputSeed(7, 'wim', 42)), []);
  const b = mutate(seed, region, new Rand(inputSeed(7, 'wim', 42)), []);
  const c = mutate(seed, region, new Rand(inputSeed(7, 'wim', 43)), []);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('6,000 mutated inputs over 5 targets: only CaptureMediaError rejections, verify never passes changed file data, none slower than 1 s, RSS under 512 MiB', async (t) => {
  const seed = Number(process.env.CAPTUREMEDIA_FUZZ_SEED ?? 20261124);
  const report = await runFuzz({ iterations: 6000, seed, slowMs: 1000, rssCapMb: 512, hangMs: 20_000, parallel: 2 });
  for (const [name, s] of Object.entries(report.targets)) {
    t.diagnostic(`${name}: ${s!.inputs} inputs, slowest ${s!.slowestMs.toFixed(1)} ms (#${s!.slowestIndex}), peak RSS ${s!.peakRssMb.toFixed(0)} MiB, ${JSON.stringify(s!.outcomes)}`);
  }
  assert.deepEqual(report.failures, [], `seed ${seed}`);
  assert.ok(report.iterations >= 6000, `${report.iterations} inputs ran`);
  for (const name of TARGETS) {
    const s = report.targets[name]!;
    assert.ok(s.inputs >= 1200, `${name}: ${s.inputs} inputs`);
    // The mutations must reach both sides: some inputs still parse, some are refused.
    const rejected = Object.entries(s.outcomes).filter(([k]) => k !== 'ok').reduce((n, [, v]) => n + v, 0);
    assert.ok(rejected > 0 && (s.outcomes.ok ?? 0) > 0, `${name}: ${JSON.stringify(s.outcomes)}`);
  }
  assert.ok(report.elapsedMs < 90_000, `took ${report.elapsedMs} ms`);
});

test('the harness itself catches an untyped exception, a slow input, a hang and runaway memory', async () => {
  const expectations = { throw: 'exception', slow: 'slow', hang: 'hang', memory: 'memory' } as const;
  // Only the hang case is judged on a 3 s heartbeat. The four run at once, and on a busy 2-CPU
  // machine (CI runs two test files beside them) the memory case's 320 MiB of filled buffers once
  // took longer than 3 s between two heartbeats and was reported as a hang instead.
  const reports = await Promise.all(
    (Object.keys(expectations) as (keyof typeof expectations)[]).map(
      async (kind) => [kind, await runFuzz({ iterations: 20, targets: ['ini'], selfTest: kind, slowMs: kind === 'slow' ? 300 : 5000, rssCapMb: 256, hangMs: kind === 'hang' ? 3000 : 30_000, parallel: 1 })] as const,
    ),
  );
  for (const [kind, report] of reports) {
    assert.equal(report.failures.length, 1, `${kind}: ${JSON.stringify(report.failures)}`);
    assert.equal(report.failures[0]!.kind, expectations[kind], `${kind}: ${JSON.stringify(report.failures)}`);
    assert.ok(report.failures[0]!.index >= 0 && report.failures[0]!.index <= 5, `${kind}: input ${report.failures[0]!.index} named`);
  }
});
