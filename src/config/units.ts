import * as z from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/i;

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const sizeUnits: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

interface Quantity {
  /** `duration`, `size`: how messages name what is expected. */
  readonly noun: string;
  readonly pattern: RegExp;
  readonly units: Record<string, number>;
  /** Examples for messages, built from the number written when there is one. */
  readonly examples: (amount: string) => string;
  readonly unitsList: string;
}

/**
 * A quantity written with its unit, parsed to the base unit. A bare number is
 * refused rather than read as milliseconds or bytes: `timeout: 10` meant ten
 * seconds to whoever wrote it, and ten milliseconds fails every request.
 */
function quantity(kind: Quantity) {
  return z.unknown().transform((input, context) => {
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message, input });
      return z.NEVER;
    };
    if (typeof input === 'number') {
      return fail(`a ${kind.noun} needs a unit: write ${kind.examples(String(input))}, not a bare number`);
    }
    if (typeof input !== 'string') {
      return fail(`expected a ${kind.noun} such as ${kind.examples('30')}`);
    }
    const match = kind.pattern.exec(input.trim());
    if (!match) {
      const written = /^\d+(?:\.\d+)?$/.test(input.trim()) ? input.trim() : '30';
      return fail(
        `'${input}' is not a ${kind.noun}; expected a number and a unit (${kind.unitsList}), such as ${kind.examples(written)}`,
      );
    }
    const [, amount, unit] = match as unknown as [string, string, string];
    const value = Math.round(Number(amount) * (kind.units[unit.toLowerCase()] ?? kind.units[unit] ?? Number.NaN));
    if (!(value > 0)) return fail(`'${input}' is too small a ${kind.noun}; it must be more than zero`);
    return value;
  });
}

/** `30s`, `500ms`, `2m`, `1h`; parsed to milliseconds. */
export const Duration = quantity({
  noun: 'duration',
  pattern: DURATION,
  units: durationUnits,
  unitsList: 'ms, s, m, h',
  examples: (amount) => `'${amount}s' or '${amount}ms'`,
});

/** `5MB`, `512KiB`, `100B`; parsed to bytes. */
export const ByteSize = quantity({
  noun: 'size',
  pattern: SIZE,
  units: sizeUnits,
  unitsList: 'B, KB, MB, GB, KiB, MiB, GiB',
  examples: (amount) => `'${amount}MB' or '${amount}KiB'`,
});
