/**
 * `1 key`, `2 keys`, `0 keys`: a count with its noun, singular only for
 * exactly one. Irregular plurals are given (`plural(n, 'entry', 'entries')`).
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
