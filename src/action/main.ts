import { runAction } from './run-action.js';

// The bundle's entry (action/dist/index.js): the runner starts it with the step's inputs in INPUT_*.
process.exitCode = await runAction({ env: process.env, cwd: process.cwd(), stdout: process.stdout });
