/** driftwatch's version, as reported to tools that read our output (SARIF `semanticVersion`). Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
