import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Where a path into a parsed YAML document was written, so that validation
 * errors can name a line and column. Walks as deep as the path exists; when
 * `atKey` is set and the last segment is a map key, points at the key itself.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): Position | undefined {
  let node: Node | null | undefined = doc.contents;
  let position = positionOf(node, lineCounter);
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair: Pair | undefined = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const last = index === path.length - 1;
      const keyNode = pair.key as Node;
      node = (last && atKey) || pair.value === null ? keyNode : (pair.value as Node);
      position = positionOf(node, lineCounter) ?? positionOf(keyNode, lineCounter) ?? position;
      continue;
    }
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      position = positionOf(node, lineCounter) ?? position;
      continue;
    }
    break;
  }
  return position;
}

function positionOf(node: Node | null | undefined, lineCounter: LineCounter): Position | undefined {
  if (!node?.range) return undefined;
  const { line, col } = lineCounter.linePos(node.range[0]);
  return { line, column: col };
}

/**
 * `environments.production.sources[1]`: how a path inside a config file reads
 * in a message. A key that is not a plain word is quoted (`environments."my env"`),
 * so the message shows where it ends.
 */
export function describePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    const text = String(segment);
    const shown = /^[A-Za-z0-9_-]+$/.test(text) ? text : JSON.stringify(text);
    out += out === '' ? shown : `.${shown}`;
  }
  return out;
}
