import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { snapshotTimezone } from '../../src/config/snapshot-config.js';
import { ConfigError } from '../../src/errors.js';

const BASE = ['version: 1', 'environments:', '  staging: {sources: [{path: staging.env}]}'].join('\n');

function parse(block: string) {
  return parseConfig(`${BASE}\n${block}`, '/repo/driftwatch.yaml', 'driftwatch.yaml');
}

function problemsOf(block: string): string[] {
  try {
    parse(block);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a config error');
}

describe('config: the snapshot block', () => {
  it('is absent unless written', () => {
    expect(parse('').snapshot).toBeUndefined();
  });

  it('reads its schedule in its own time zone, else in the report one, else in UTC', () => {
    const own = parse('snapshot: {schedule: "*/15 * * * *", timezone: asia/tokyo}\nreport: {timezone: Europe/Berlin}');
    expect(own.snapshot).toEqual({ schedule: '*/15 * * * *', timezone: 'Asia/Tokyo' });
    expect(snapshotTimezone(own)).toBe('Asia/Tokyo');
    expect(snapshotTimezone(parse('snapshot: {schedule: "0 * * * *"}\nreport: {timezone: Europe/Berlin}'))).toBe(
      'Europe/Berlin',
    );
    expect(snapshotTimezone(parse('snapshot: {schedule: "0 * * * *"}'))).toBe('UTC');
  });

  it('names file, line and column of a bad schedule, time zone or field', () => {
    expect(
      problemsOf(['snapshot:', '  schedule: "0 25 * * *"', '  timezone: Mars/Olympus_Mons', '  every: 15m'].join('\n')),
    ).toEqual([
      'driftwatch.yaml:5:13: snapshot.schedule: not a valid cron expression: Invalid value for hour: 25',
      "driftwatch.yaml:6:13: snapshot.timezone: unknown time zone 'Mars/Olympus_Mons'; expected an IANA name such as Europe/Berlin or UTC",
      "driftwatch.yaml:7:3: snapshot.every: unknown field 'every'",
    ]);
  });

  it('wants five fields, as the report schedule does', () => {
    expect(problemsOf('snapshot: {schedule: "*/10 * * * * *"}')).toEqual([
      'driftwatch.yaml:4:22: snapshot.schedule: a schedule is a cron expression of five fields (minute hour day month weekday), such as "0 8 * * 1-5"; got 6',
    ]);
  });
});
