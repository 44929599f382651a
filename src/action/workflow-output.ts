import { randomUUID } from 'node:crypto';

/**
 * Step outputs in the form `$GITHUB_OUTPUT` takes: `name<<DELIMITER`, the
 * value, the delimiter, each on its own line. The delimiter is random, so a
 * value cannot end its own entry and set another output; a value that holds
 * it anyway is refused rather than written.
 */
export function workflowOutputText(
  outputs: Readonly<Record<string, string>>,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    if (name.includes(delimiter) || value.includes(delimiter)) {
      throw new Error(`the output '${name}' contains its delimiter`);
    }
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}
