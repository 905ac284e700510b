// Import rules for src/ (run by `npm run lint:imports` and by test/architecture/imports.test.ts,
// so `npm test` fails on a violation). docs/architecture.md explains the layers.
//
// Dependencies point one way, from the hosts down to io/:
//   cli, bridge -> job -> build, compare -> plan, source, layout, verify, medium, drivers
//   -> partition -> wim, iso, fat, udf, inf, authenticode, disk -> compression -> io, log
//   -> errors.ts, version.ts
// A folder may import its own layer and any layer below it, never one above.

/** Highest layer first; each entry is a list of top-level names under src/. */
const LAYERS = [
  ['cli', 'bridge'],
  ['job'],
  ['build', 'compare'],
  ['plan', 'source', 'layout', 'verify', 'medium', 'drivers'],
  ['partition'],
  ['wim', 'iso', 'fat', 'udf', 'inf', 'authenticode', 'disk'],
  ['compression'],
  ['io', 'log'],
  ['errors\\.ts', 'version\\.ts'],
];

const under = (names) => `^src/(${names.join('|')})($|/)`;

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-import-from-${layer[0].replace(/\\\./, '-')}`,
  comment: `${layer.join(', ')} must not import from a layer above it (${LAYERS.slice(0, i + 1).flat().join(', ')}).`,
  severity: 'error',
  from: { path: under(layer) },
  to: { path: under(LAYERS.slice(0, i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'bridge-not-to-cli',
      comment: 'The two hosts meet only in job/: the bridge never imports the CLI (the CLI may start the bridge command).',
      severity: 'error',
      from: { path: under(['bridge']) },
      to: { path: under(['cli']) },
    },
    {
      name: 'formats-not-to-disk',
      comment: 'Format and codec folders work on byte ranges and sinks; they never know about disks.',
      severity: 'error',
      from: { path: under(['wim', 'iso', 'fat', 'udf', 'inf', 'authenticode', 'partition', 'compression']) },
      to: { path: under(['disk']) },
    },
    {
      name: 'file-system-not-to-partition-table',
      comment: 'fat/ plans and writes a volume into a byte range; partition/ composes it with the MBR (go-diskfs keeps the two apart).',
      severity: 'error',
      from: { path: under(['fat']) },
      to: { path: under(['partition']) },
    },
    {
      name: 'src-not-to-test',
      comment: 'Test code (fakes included) is never shipped: src/ must not import from test/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes the import order, and so start-up, fragile.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
