import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/report/terminal-safe.js';
import { terminalValue } from '../../src/report/terminal-value.js';

const ESC = '\u001b';

describe('report/terminal-safe', () => {
  it('escapes control characters and bidirectional overrides, and keeps everything else', () => {
    expect(terminalSafe(`a\nb\r\tc${ESC}[2J\u0007\u009b é 日本 🙂 admin\u202Eexe`)).toBe(
      'a\\nb\\r\\tc\\x1b[2J\\x07\\x9b é 日本 🙂 admin\\u{202e}exe',
    );
  });
});

describe('report/terminal-value', () => {
  it('shows a short single-line value as it is', () => {
    expect(terminalValue('db.internal:5432')).toBe('db.internal:5432');
    expect(terminalValue('fp:1a2b3c4d')).toBe('fp:1a2b3c4d');
  });

  it('shows an empty string as "" so that it is not mistaken for nothing', () => {
    expect(terminalValue('')).toBe('""');
  });

  it('puts a multi-line value on one line, quoted and escaped, cut with its length', () => {
    const nginx = `server {\n  listen 80;\n${'  location / { proxy_pass http://app; }\n'.repeat(10)}}\n`;
    const shown = terminalValue(nginx, 24);
    expect(shown).toBe(`"server {\\n  listen 80;\\n…" (${nginx.length} chars)`);
    expect(shown).not.toContain('\n');
    expect(terminalValue('a\nb')).toBe('"a\\nb"');
  });

  it('cuts a long value, counting characters rather than code units', () => {
    const long = '日'.repeat(100);
    expect(terminalValue(long, 10)).toBe(`"${'日'.repeat(10)}…" (100 chars)`);
  });

  it('cannot be made to fake a line of output or a quote', () => {
    const forged = 'x\n\nNo drift found across staging, production.\n';
    expect(terminalValue(forged)).toBe('"x\\n\\nNo drift found across staging, production.\\n"');
    expect(terminalValue(`"quoted" \\ ${'x'.repeat(80)}`, 13)).toBe('"\\"quoted\\" \\\\…" (91 chars)');
  });

  it('keeps the fingerprint of a partly visible secret when it cuts the visible part', () => {
    const url = `postgres://app:****@${'db'.repeat(40)}.internal/app (fp:0a1b2c3d)`;
    expect(terminalValue(url, 20)).toBe('"postgres://app:****@…" (113 chars) (fp:0a1b2c3d)');
  });
});
