import { describe, expect, it } from 'vitest';
import { jvmExtractor } from '../../src/references/extract-jvm.js';

describe('references/extract-jvm', () => {
  it('reads System.getenv and Spring @Value placeholders in Java', () => {
    const text = [
      '@Service',
      'public class PaymentClient {',
      '    @Value("${payments.api-key}")',
      '    private String apiKey;',
      '    @Value("${payments.timeout:30s}")',
      '    private Duration timeout;',
      '    @Value(value = "${payments.base-url}/v1/${payments.version:2}")',
      '    private String url;',
      '    private final String region = System.getenv("AWS_REGION");',
      '    private final Map<String, String> all = System.getenv();',
      '}',
    ].join('\n');
    expect(jvmExtractor.extract(text)).toEqual({
      references: [
        { name: 'payments.api-key', line: 3, column: 13, style: 'dotted' },
        { name: 'payments.timeout', line: 5, column: 13, style: 'dotted', optional: true },
        { name: 'payments.base-url', line: 7, column: 21, style: 'dotted' },
        { name: 'payments.version', line: 7, column: 45, style: 'dotted', optional: true },
        { name: 'AWS_REGION', line: 9, column: 35, style: 'env' },
      ],
      unresolvable: [],
    });
  });

  it('reads @ConfigurationProperties as a prefix, in Java and Kotlin forms', () => {
    const text = [
      '@ConfigurationProperties(prefix = "mall.security")',
      'public class SecurityProperties {}',
      '@ConfigurationProperties("oss.aliyun")',
      'class OssProperties',
    ].join('\n');
    expect(jvmExtractor.extract(text).references).toEqual([
      { name: 'mall.security', line: 1, column: 1, style: 'dotted', prefix: true, optional: true },
      { name: 'oss.aliyun', line: 3, column: 1, style: 'dotted', prefix: true, optional: true },
    ]);
  });

  it('reads Kotlin @Value with an escaped dollar and nested defaults', () => {
    const text = [
      'class JwtConfig(',
      '    @Value("\\${jwt.secret}") val secret: String,',
      '    @Value("\\${jwt.ttl:\\${jwt.default-ttl}}") val ttl: Long,',
      ')',
      'val home = System.getenv("HOME")',
    ].join('\n');
    expect(
      jvmExtractor.extract(text).references.map((reference) => [reference.name, reference.optional === true]),
    ).toEqual([
      ['jwt.secret', false],
      ['jwt.ttl', true],
      ['jwt.default-ttl', false],
      ['HOME', false],
    ]);
  });

  it('reports dynamic reads and ignores Lombok @Value and comments', () => {
    const text = [
      '@Value',
      'public class Point { int x; }',
      '// @Value("${commented.key}")',
      'String v = System.getenv(name);',
      '@Value(Constants.KEY) String k;',
    ].join('\n');
    expect(jvmExtractor.extract(text)).toEqual({
      references: [],
      unresolvable: [
        { line: 4, column: 12, snippet: 'System.getenv(name)' },
        { line: 5, column: 1, snippet: '@Value(Constants.KEY)' },
      ],
    });
  });
});
