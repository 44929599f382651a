// The CLI's commands and the GitHub Action exit alike; the codes live in the core.
export { EXIT } from '../exit-codes.js';
