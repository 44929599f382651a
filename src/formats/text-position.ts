/**
 * Maps an offset in a text to a 1-based line and column, given where each
 * line starts (formats disagree on what ends a line: dotenv only `\n`,
 * properties `\r` too). A binary search per lookup.
 */
export function offsetLocator(lineStarts: readonly number[]): (offset: number) => { line: number; column: number } {
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}

/**
 * The same mapping for offsets asked in increasing order (a format emitting
 * leaves in document order), without an index of every line start: each call
 * counts only the line ends since the previous one. An earlier offset starts
 * the count again from the top. Lines end at `\n`.
 */
export function sequentialLocator(text: string): (offset: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  return (offset) => {
    if (offset < scanned) {
      line = 1;
      lineStart = 0;
      scanned = 0;
    }
    for (
      let index = text.indexOf('\n', scanned);
      index !== -1 && index < offset;
      index = text.indexOf('\n', index + 1)
    ) {
      line++;
      lineStart = index + 1;
    }
    scanned = offset;
    return { line, column: offset - lineStart + 1 };
  };
}
