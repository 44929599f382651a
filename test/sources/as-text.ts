import type { SourceDocument } from '../../src/sources/source.js';

/** Source documents with their bytes as UTF-8 text, for readable assertions; leaves are kept as they are. */
export function asText(documents: readonly SourceDocument[]) {
  return documents.map((document) => {
    if (!('bytes' in document)) return document;
    const { bytes, ...rest } = document;
    return { ...rest, text: Buffer.from(bytes).toString('utf8') };
  });
}
