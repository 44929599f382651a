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
