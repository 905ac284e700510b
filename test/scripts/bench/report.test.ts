// scripts/bench/report.ts: the benchmark report's markdown, its "Where the time goes" entries and
// its chart, from a hand-made report (the numbers are invented; no benchmark runs here). The SVG
// is checked for well-formedness with fast-xml-parser's validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { chartPanels, explainMisses, renderMarkdown, renderSvg, UNANALYSED, type BenchReport, type Ratio, type RssRow } from '../../../scripts/bench/report.js';

const ratio = (id: string, table: Ratio['table'], label: string, size: string, value: number, goal: number | undefined): Ratio => ({
  id,
  table,
  label,
  size,
  oursMs: 1000 * value,
  peerMs: 1000,
  value,
  goal,
});

const ratios: Ratio[] = [
  ratio('iso-cp-0.5g', 'goals', 'ISO write-only ÷ cp WIM && sync', '0.5 GiB', 1.25, 1.3),
  ratio('iso-cp-2g', 'goals', 'ISO write-only ÷ cp WIM && sync', '2 GiB', 1.4, 1.15),
  ratio('isov-cp-2g', 'goals', 'ISO default (write + verify) ÷ cp WIM && sync', '2 GiB', 2.5, undefined),
  ratio('verify-iso', 'goals', 'verify ISO ÷ dd iflag=direct | openssl sha256', '0.5 GiB', 1.3, 1.1),
  ratio('startup-help', 'goals', '`--help` ÷ node -e 0', '–', 1.2, 1.3),
  ratio('startup-what-if', 'goals', '`create --what-if` ÷ node -e 0', '–', 2.1, undefined),
  ratio('iso-floor', 'tree', 'ISO write-only ÷ cp -r tree', '0.5 GiB', 2.6, 1.15),
];
const rss: RssRow[] = [
  { label: 'ISO, write only', contentBytes: 2 ** 29, peakRssBytes: 110e6, goalBytes: 150e6, runs: 3 },
  { label: 'verify, ISO', contentBytes: 2 ** 31, peakRssBytes: 160e6, goalBytes: 150e6, runs: 1 },
];

function report(): BenchReport {
  return {
    date: '2026-12-04T00:00:00.000Z',
    machine: { CPU: '2 × test' },
    method: ['a method line'],
    cases: [{ id: 'iso.ours@0.5g', label: 'ISO, ours', runsMs: [1200, 1250, 1300], medianMs: 1250, peakRssBytes: 110e6 }],
    ratios,
    rss,
    timeNotes: explainMisses(ratios, rss, { 'iso-cp-2g': 'the hand-written reason.' }),
    notes: [],
  };
}

test('explainMisses gives each missed goal its hand-written text, or the generic one, and leaves met and info figures out', () => {
  const notes = explainMisses(ratios, rss, { 'iso-cp-2g': 'the hand-written reason.', rss: 'why memory is high.' });
  assert.deepEqual(
    notes.map((n) => n.text),
    ['the hand-written reason.', UNANALYSED, UNANALYSED, 'why memory is high.'],
  );
  assert.match(notes[0]!.figure, /^ISO write-only ÷ cp WIM && sync, 2 GiB: 1\.40× > 1\.15×$/);
  assert.match(notes[3]!.figure, /1 of 2 over: verify, ISO at 2\.00 GiB: 160\.0 MB/);
  assert.deepEqual(explainMisses([ratios[0]!], [rss[0]!], {}), [], 'nothing missed, nothing to explain');
});

test('the markdown puts the goals table first, the older tree comparisons under their own heading, and judges each figure', () => {
  const md = renderMarkdown(report(), 'An overview paragraph.');
  const at = (heading: string): number => md.indexOf(`\n## ${heading}\n`);
  const order = ["Goals: speed at the disk's pace", 'Peak RSS (ours)', 'Where the time goes', 'Second table: the 2,000-small-file tree (older goals)', 'All timings', 'Method', 'Machine'].map(at);
  assert.ok(order.every((i) => i > 0), `every section present: ${order.join(', ')}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'sections in order');
  const goals = md.slice(order[0], order[1]);
  assert.match(goals, /\| ISO write-only ÷ cp WIM && sync \| 0\.5 GiB \| 1250 ms \| 1000 ms \| 1\.25× \| ≤ 1\.3× \| \*\*met\*\* \|/);
  assert.match(goals, /\| ISO write-only ÷ cp WIM && sync \| 2 GiB \| 1400 ms \| 1000 ms \| 1\.40× \| ≤ 1\.15× \| \*\*missed\*\* \|/);
  assert.match(goals, /\| `create --what-if` ÷ node -e 0 \| – \| .* \| – \| info \|/);
  assert.doesNotMatch(goals, /cp -r tree/, 'the tree comparisons stay out of the goals table');
  assert.match(md.slice(order[3], order[4]), /\| ISO write-only ÷ cp -r tree \| 0\.5 GiB \| .* \| ≤ 1\.15× \| \*\*missed\*\* \|/);
  const timeGoes = md.slice(order[2], order[3]);
  assert.match(timeGoes, /An overview paragraph\./);
  assert.match(timeGoes, /- \*\*ISO write-only ÷ cp WIM && sync, 2 GiB: 1\.40× > 1\.15×\*\* — the hand-written reason\./);
  assert.match(md, /\| verify, ISO \| 2\.00 GiB \| 1 \| 160\.0 MB \| ≤ 150\.0 MB \| \*\*missed\*\* \|/);
});

test('with every goal met, "Where the time goes" says so', () => {
  const met = { ...report(), ratios: [ratios[0]!], rss: [rss[0]!], timeNotes: [] };
  assert.match(renderMarkdown(met), /## Where the time goes\n\nEvery goal measured in this run was met\./);
});

test('the chart draws every goal-bearing figure in its panel, start-up with its info bar, memory in MB', () => {
  const panels = chartPanels(report());
  assert.deepEqual(
    panels.map((p) => [p.title, p.unit, p.bars.map((b) => `${b.label} ${b.goal ?? '-'}`)]),
    [
      ["Build and verify ÷ yardstick (the disk's pace)", '×', ['ISO 0.5G 1.3', 'ISO 2G 1.15', 'verify ISO 0.5G 1.1']],
      ['Start-up ÷ node -e 0', '×', ['--help 1.3', 'create --what-if -']],
      ['Peak RSS (MB)', 'MB', ['ISO 150', 'verify, ISO 150']],
      ['Second table: the small-file tree (older goals)', '×', ['ISO 0.5G 1.15']],
    ],
  );
  assert.equal(panels[2]!.bars[1]!.value, 160);
});

test('the SVG is well-formed, escapes its text and colours each bar by its verdict', () => {
  const svg = renderSvg(chartPanels(report()), 'bench <test> & co');
  assert.equal(XMLValidator.validate(svg), true);
  assert.match(svg, /bench &lt;test&gt; &amp; co/);
  const fills = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="48" height="[^"]+" fill="(#[0-9a-f]+)"\/>/g)].map((m) => m[1]);
  // met, missed, missed | met, info | met, missed | missed
  assert.deepEqual(fills, ['#3c9a4b', '#d0453a', '#d0453a', '#3c9a4b', '#9e9e9e', '#3c9a4b', '#d0453a', '#d0453a']);
});
