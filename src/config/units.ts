import { z } from 'zod';

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

/** `30s`, `500ms`, `2m`, or a number of milliseconds; parsed to milliseconds. */
export const Duration = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(DURATION, "expected a duration such as '30s', '500ms' or '2m'")
    .transform((text) => {
      const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
      return Math.round(Number(amount) * (durationUnits[unit as string] as number));
    }),
]);

/** `5MB`, `512KiB`, or a number of bytes; parsed to bytes. */
export const ByteSize = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(SIZE, "expected a size such as '5MB' or '512KiB'")
    .transform((text) => {
      const [, amount, unit] = SIZE.exec(text) as RegExpExecArray;
      return Math.round(Number(amount) * (sizeUnits[(unit as string).toLowerCase()] as number));
    }),
]);
