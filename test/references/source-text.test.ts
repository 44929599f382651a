import { describe, expect, it } from 'vitest';
import { type CommentSyntax, SourceText } from '../../src/references/source-text.js';

const C_LIKE: CommentSyntax = { line: ['//'], block: true };
const HASH: CommentSyntax = { line: ['#'], block: false };

function commented(text: string, needle: string, syntax: CommentSyntax): boolean {
  return new SourceText(text).isCommented(text.indexOf(needle), syntax);
}

describe('references/source-text', () => {
  it('turns an index into a 1-based line and column', () => {
    const source = new SourceText('ab\ncd\r\n\nef');
    expect(source.position(0)).toEqual({ line: 1, column: 1 });
    expect(source.position(4)).toEqual({ line: 2, column: 2 });
    expect(source.position(8)).toEqual({ line: 4, column: 1 });
  });

  it('recognises whole-line, trailing and block comments', () => {
    expect(commented('  // X', 'X', C_LIKE)).toBe(true);
    expect(commented('   * X', 'X', C_LIKE)).toBe(true);
    expect(commented('/* X */', 'X', C_LIKE)).toBe(true);
    expect(commented('/* a */ X', 'X', C_LIKE)).toBe(false);
    expect(commented('a(); // X', 'X', C_LIKE)).toBe(true);
    expect(commented("a('//'); X", 'X', C_LIKE)).toBe(false);
    expect(commented("a('http://x', \"it's\"); // X", 'X', C_LIKE)).toBe(true);
    expect(commented("'a\\'b' // X", 'X', C_LIKE)).toBe(true);
    expect(commented('a = 2 * X', 'X', C_LIKE)).toBe(false);
    expect(commented('# X', 'X', HASH)).toBe(true);
    expect(commented('key: a#X', 'X', HASH)).toBe(false);
    expect(commented('key: a # X', 'X', HASH)).toBe(true);
    expect(commented('key: "# X"', 'X', HASH)).toBe(false);
  });

  it('cuts unresolvable snippets at the line end, the closing bracket, or 80 characters', () => {
    const source = new SourceText(`x = env[name] + 1\ny = env[${'a'.repeat(100)}]`);
    expect(source.unresolvable(4, ']')).toEqual({ line: 1, column: 5, snippet: 'env[name]' });
    expect(source.unresolvable(4)).toEqual({ line: 1, column: 5, snippet: 'env[name] + 1' });
    expect(source.unresolvable(22, ']').snippet).toHaveLength(80);
  });
});
