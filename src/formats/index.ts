import { dotenvFormat } from './dotenv.js';
import type { Format, FormatId } from './format.js';
import { jsonFormat } from './json.js';
import { kubernetesFormat } from './kubernetes.js';
import { propertiesFormat } from './properties.js';
import { tomlFormat } from './toml.js';
import { yamlFormat } from './yaml.js';

/** Every format, by id. A new format is one module and one line here. */
export const formats: Readonly<Record<FormatId, Format>> = {
  yaml: yamlFormat,
  json: jsonFormat,
  dotenv: dotenvFormat,
  toml: tomlFormat,
  properties: propertiesFormat,
  k8s: kubernetesFormat,
};
