/** Where each line of `text` starts, as offsets; lines end at `\n`. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** How many lines `text` has, as lineStartsOf counts them, without keeping where they start. */
export function countLines(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

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
 * leaves in document order), without an index of every line start: each
 * call counts only the line ends since the previous one. An earlier offset
 * starts the count again from the top. Lines end at `\n`. `lineAt` allocates
 * nothing, for callers that place every key of a large file.
 */
export class SequentialLocator {
  /** The line of the last offset asked, and where that line starts. */
  line = 1;
  lineStart = 0;
  #scanned = 0;

  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    if (offset < this.#scanned) {
      this.line = 1;
      this.lineStart = 0;
      this.#scanned = 0;
    }
    const { text } = this;
    for (
      let index = text.indexOf('\n', this.#scanned);
      index !== -1 && index < offset;
      index = text.indexOf('\n', index + 1)
    ) {
      this.line++;
      this.lineStart = index + 1;
    }
    this.#scanned = offset;
    return this.line;
  }

  at(offset: number): { line: number; column: number } {
    const line = this.lineAt(offset);
    return { line, column: offset - this.lineStart + 1 };
  }
}
