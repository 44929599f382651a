import { describe, expect, it } from 'vitest';
import { ByteSize, Duration } from '../../src/config/units.js';

function messageOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string | undefined {
  return result.success ? undefined : result.error?.issues[0]?.message;
}

describe('config/units', () => {
  it('reads durations with their unit, to milliseconds', () => {
    expect(['500ms', '30s', '1.5s', '2m', '1h', ' 10s '].map((text) => Duration.parse(text))).toEqual([
      500, 30_000, 1500, 120_000, 3_600_000, 10_000,
    ]);
  });

  it('reads sizes with their unit, to bytes', () => {
    expect(['100B', '5MB', '5mb', '512KiB', '1.5GiB'].map((text) => ByteSize.parse(text))).toEqual([
      100,
      5_000_000,
      5_000_000,
      524_288,
      1.5 * 1024 ** 3,
    ]);
  });

  it('refuses a bare number, which would silently mean milliseconds or bytes', () => {
    expect(messageOf(Duration.safeParse(10))).toBe("a duration needs a unit: write '10s' or '10ms', not a bare number");
    expect(messageOf(Duration.safeParse('10'))).toBe(
      "'10' is not a duration; expected a number and a unit (ms, s, m, h), such as '10s' or '10ms'",
    );
    expect(messageOf(ByteSize.safeParse(5))).toBe("a size needs a unit: write '5MB' or '5KiB', not a bare number");
  });

  it('says what a duration or a size looks like when it is not one', () => {
    expect(messageOf(Duration.safeParse('ten'))).toBe(
      "'ten' is not a duration; expected a number and a unit (ms, s, m, h), such as '30s' or '30ms'",
    );
    expect(messageOf(Duration.safeParse('10 sec'))).toMatch(/^'10 sec' is not a duration/);
    expect(messageOf(ByteSize.safeParse('5 megs'))).toMatch(
      /^'5 megs' is not a size; expected a number and a unit \(B, KB/,
    );
    expect(messageOf(Duration.safeParse(true))).toBe("expected a duration such as '30s' or '30ms'");
    expect(messageOf(Duration.safeParse('0s'))).toBe("'0s' is too small a duration; it must be more than zero");
  });
});
