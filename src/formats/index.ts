import type { Format, FormatId } from './format.js';

/** Every format, by id. A new format is one module and one line here. */
export const formats: Readonly<Record<FormatId, Format>> = {} as Record<FormatId, Format>;
