/**
 * Orders strings by UTF-16 code unit, as `Array.prototype.sort` does by
 * default: the same on every machine and locale (unlike `localeCompare`).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
