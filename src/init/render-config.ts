import { Document, isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import { plural } from '../plural.js';
import { terminalSafe } from '../report/terminal-safe.js';
import type { InitPlan } from './plan-config.js';

/**
 * The driftwatch.yaml for a plan, with a comment above each environment
 * saying what it was found from, and the files that could not be placed
 * listed at the end.
 */
export function renderConfig(plan: InitPlan): string {
  const document = new Document({
    version: 1,
    environments: Object.fromEntries(
      plan.environments.map((environment) => [
        environment.name,
        {
          sources: environment.sources.map((source) => ({
            path: typeof source.path === 'string' ? source.path : [...source.path],
            ...(source.format ? { format: source.format } : {}),
            ...(source.prefix ? { prefix: source.prefix } : {}),
          })),
        },
      ]),
    ),
    rules: ['driftwatch:recommended', ...plan.rulePacks],
    ...(plan.code ? { references: { include: [...plan.code.include] } } : {}),
  });
  document.commentBefore = [
    ' A starting point, written by driftwatch init from the layout of this repository.',
    ' Sources are merged in order, later ones win. Check it, then run',
    ' driftwatch snapshot --all to see what it reads.',
  ].join('\n');
  const environments = document.get('environments', true);
  if (isMap(environments)) {
    for (const [index, pair] of (environments.items as Pair<Scalar, Node>[]).entries()) {
      const evidence = plan.environments[index]?.evidence ?? [];
      pair.key.commentBefore = evidence.map((line) => ` ${oneLine(line)}`).join('\n');
    }
  }
  flowStyleLists(document.contents);
  const references = isMap(document.contents)
    ? document.contents.items.find((pair) => (pair.key as Scalar).value === 'references')
    : undefined;
  if (references && plan.code) {
    (references.key as Scalar).commentBefore =
      ` Code seen: ${oneLine(codeSummary(plan))}. Where it reads configuration, for stale and missing keys.`;
  }
  const trailer = [
    ...(plan.unplaced.length > 0
      ? [
          ' Not placed in any environment (add them by hand where they belong):',
          ...plan.unplaced.map((entry) => `   ${oneLine(`${entry.path}: ${entry.reason}`)}`),
        ]
      : []),
    ...(plan.notLookedAt.length > 0
      ? [` Not looked at (tests and examples): ${oneLine(plan.notLookedAt.join(', '))}`]
      : []),
  ];
  if (trailer.length > 0) document.comment = trailer.join('\n');
  return document.toString({ flowCollectionPadding: false, lineWidth: 0 });
}

/** `14 files (.ts 12, .js 2)` */
export function codeSummary(plan: InitPlan): string {
  if (!plan.code) return 'none';
  const parts = plan.code.extensions.map(([extension, count]) => `${extension} ${count}`);
  return `${plural(plan.code.files, 'file')} (${parts.join(', ')}) in ${plan.code.include.join(', ')}`;
}

/** Short lists of scalars (`path: [a, b]`, `rules:`, `include:`) read best on one line; long ones one item a line. */
function flowStyleLists(node: unknown): void {
  if (isMap(node)) {
    for (const pair of node.items) flowStyleLists(pair.value);
  } else if (isSeq(node)) {
    const scalars = node.items.filter((item): item is Scalar => isScalar(item));
    if (scalars.length < node.items.length) {
      for (const item of node.items) flowStyleLists(item);
      return;
    }
    node.flow = scalars.reduce((width, item) => width + String(item.value).length + 2, 0) <= FLOW_WIDTH;
  }
}

const FLOW_WIDTH = 72;

/** A comment line stays one line, whatever a file name holds. */
function oneLine(text: string): string {
  return terminalSafe(text);
}
