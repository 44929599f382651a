import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javascriptCodeFilter } from '../../src/references/javascript-code.js';

/** Whether each `X` in the text is code, in order. */
function marks(text: string): boolean[] {
  const isCode = javascriptCodeFilter(text);
  return [...text.matchAll(/X/g)].map((match) => isCode(match.index));
}

describe('references/javascript-code', () => {
  it('tells strings, template text, comments and regular expressions from code', () => {
    expect(marks('X \'X\' "X" `X ${X} X` // X\n/* X\n X */ X')).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('tells a regular expression from a division by the token before the slash', () => {
    expect(marks('a = /X/; b = c / 2 / X; f(/X/); return /X/; x => /X/.test(y); d = e[0] / X')).toEqual([
      false,
      true,
      false,
      false,
      false,
      true,
    ]);
    // A character class may hold a slash; an escaped slash does not end the expression.
    expect(marks('r = /[/]X\\/X/; X')).toEqual([false, false, true]);
  });

  it('recovers where a guess would hide the rest of the file', () => {
    // An apostrophe in JSX text, a JSX closing tag, a backtick and a block comment that never close.
    expect(marks("<p>Don't {X}</p>\n<b>{X}</b><i>{X}</i>")).toEqual([true, true, true]);
    expect(marks('const tick = "`"; X')).toEqual([true]);
    expect(marks('a = 1 ` X')).toEqual([true]);
    expect(marks('/* X')).toEqual([true]);
    expect(marks("'unclosed X\nX")).toEqual([true, true]);
  });

  it('follows nested templates and braces inside interpolations', () => {
    expect(marks('`a ${ {b: `X ${X}`}.b } X` X')).toEqual([false, true, false, true]);
    expect(marks('`${"}"} X` X')).toEqual([false, true]);
  });

  it('gives the same answers whatever order the offsets are asked in', () => {
    const piece = fc.constantFrom(
      'X',
      ' ',
      "'",
      '"',
      '`',
      '${',
      '}',
      '{',
      '/',
      '//',
      '/*',
      '*/',
      '\n',
      '\\',
      '=',
      'a',
      '(',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join('')),
        (text) => {
          const offsets = Array.from({ length: text.length }, (_, index) => index);
          const forward = javascriptCodeFilter(text);
          const inOrder = offsets.map((offset) => forward(offset));
          const backward = javascriptCodeFilter(text);
          const reversed = [...offsets]
            .reverse()
            .map((offset) => backward(offset))
            .reverse();
          expect(reversed).toEqual(inOrder);
        },
      ),
      { numRuns: 500 },
    );
  });
});
