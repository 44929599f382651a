import { describe, expect, it } from 'vitest';
import { rubyExtractor } from '../../src/references/extract-ruby.js';

describe('references/extract-ruby', () => {
  it('reads ENV[], ENV.fetch with and without defaults, and presence checks', () => {
    const text = [
      'Rails.application.configure do',
      "  config.redis_url = ENV['REDIS_URL']",
      '  config.secret = ENV.fetch("SECRET_KEY_BASE")',
      "  config.pool = ENV.fetch('DB_POOL', 5)",
      "  config.host = ENV.fetch('APP_HOST') { 'localhost' }",
      "  config.cdn = ENV['CDN_HOST'] || 'cdn.example.com'",
      '  config.sentry = ENV.key?("SENTRY_DSN")',
      '  config.port = ENV.fetch "PORT"',
      'end',
    ].join('\n');
    expect(rubyExtractor.extract(text)).toEqual({
      references: [
        { name: 'REDIS_URL', line: 2, column: 22, style: 'env' },
        { name: 'SECRET_KEY_BASE', line: 3, column: 19, style: 'env' },
        { name: 'DB_POOL', line: 4, column: 17, style: 'env', optional: true },
        { name: 'APP_HOST', line: 5, column: 17, style: 'env', optional: true },
        { name: 'CDN_HOST', line: 6, column: 16, style: 'env', optional: true },
        { name: 'SENTRY_DSN', line: 7, column: 19, style: 'env', optional: true },
        { name: 'PORT', line: 8, column: 17, style: 'env' },
      ],
      unresolvable: [],
    });
  });

  it('reports interpolated and dynamic reads, skips writes and comments, reads ERB', () => {
    const text = [
      'ENV["RAILS_ENV"] = "test"',
      '# ENV["COMMENTED"]',
      'value = ENV[key]',
      'other = ENV["#{prefix}_URL"]',
      "url: <%= ENV['DATABASE_URL'] %>",
    ].join('\n');
    expect(rubyExtractor.extract(text)).toEqual({
      references: [{ name: 'DATABASE_URL', line: 5, column: 10, style: 'env' }],
      unresolvable: [
        { line: 3, column: 9, snippet: 'ENV[key]' },
        { line: 4, column: 9, snippet: 'ENV["#{prefix}_URL"]' },
      ],
    });
    expect(rubyExtractor.extensions).toContain('.erb');
  });
});
