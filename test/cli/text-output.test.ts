import { describe, expect, it } from 'vitest';
import { run } from './io.js';
import { project } from './project.js';

const ESC = '\u001b';
const FORGED = 'No drift found across staging, production.';
const NGINX = `server {\n  listen 80;\n${'  location / { proxy_pass http://app; }\n'.repeat(10)}}\n`;

/** A hostile value (a forged line, terminal escapes, a bidi override), a long multi-line one, and an empty one. */
function files() {
  const hostile = JSON.stringify(`ok\n\n${FORGED}\n${ESC}[2J${ESC}]0;pwned\u0007\u202Egnp.exe`);
  return {
    'driftwatch.yaml':
      'version: 1\nenvironments:\n  staging: {sources: [{path: staging.yaml}]}\n  production: {sources: [{path: production.yaml}]}\n',
    'staging.yaml': `banner: ${hostile}\nnginx: ${JSON.stringify(NGINX)}\nempty: ""\n"evil\\nkey": 1\n`,
    'production.yaml': `banner: plain\nnginx: "server {}"\nempty: "x"\n"evil\\nkey": 2\n`,
  };
}

/** Whether any raw control character (other than the newlines that end lines) or bidi override reached the output. */
function rawControl(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

describe('cli: text output escapes what a value could use against the reader', () => {
  it('diff', async () => {
    const dir = project(files());
    const result = await run(dir, ['diff', 'staging', 'production']);
    expect(result.code).toBe(0);
    expect(rawControl(result.stdout)).toBe(false);
    expect(result.stdout.split('\n')).not.toContain(FORGED);
    expect(result.stdout).toContain(`staging:    "ok\\n\\n${FORGED}\\n\\x1b[2J…" (69 chars) (string) staging.yaml:1\n`);
    expect(result.stdout).toContain(
      `staging:    "server {\\n  listen 80;\\n  location / { proxy_pass http://app…" (${NGINX.length} chars) (string)`,
    );
    expect(result.stdout).toMatch(/staging: {4}"" \(string\)/);
    expect(result.stdout).toContain('~ "evil\\nkey"');
  });

  it('snapshot, while its JSON keeps the whole value', async () => {
    const dir = project(files());
    const text = await run(dir, ['snapshot', '--env', 'staging']);
    expect(text.code).toBe(0);
    expect(rawControl(text.stdout)).toBe(false);
    expect(text.stdout.split('\n')).not.toContain(FORGED);
    expect(text.stdout).toContain(`nginx = "server {\\n  listen 80;\\n`);
    expect(text.stdout).toContain('empty = ""  # staging.yaml:3');
    expect(text.stdout).toMatch(/^# staging: 4 keys \(taken /);
    expect(text.stdout).toContain('(1 document, 4 keys)');

    const json = JSON.parse((await run(dir, ['snapshot', '--env', 'staging', '--format', 'json'])).stdout);
    const nginx = json.snapshots[0].entries.find((entry: { key: string }) => entry.key === 'nginx');
    expect(nginx.value).toBe(NGINX);
  });

  it('history', async () => {
    const dir = project(files());
    expect((await run(dir, ['snapshot', '--all', '--store'])).code).toBe(0);
    const result = await run(dir, ['history', '--env', 'staging']);
    expect(result.code).toBe(0);
    expect(rawControl(result.stdout)).toBe(false);
    expect(result.stdout.split('\n')).not.toContain(FORGED);
    expect(result.stdout).toContain('banner = "ok\\n\\nNo drift found across staging, pro…" (');
    expect(result.stdout).toContain('empty = ""');
  });

  it('check, with the same value', async () => {
    const dir = project({
      ...files(),
      'driftwatch.yaml': `${files()['driftwatch.yaml']}rules: [rules.yaml]\n`,
      'rules.yaml': 'rules: [{id: same, kind: equal, keys: ["**"]}]\n',
    });
    const result = await run(dir, ['check']);
    expect(result.code).toBe(1);
    expect(rawControl(result.stdout)).toBe(false);
    expect(result.stdout.split('\n')).not.toContain(FORGED);
    expect(result.stdout).toContain('      staging     ""\n');
  });
});
