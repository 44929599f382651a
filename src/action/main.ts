import { keepYoungGenerationSmall } from '../one-shot-heap.js';
import { runAction } from './run-action.js';

// The bundle's entry (action/dist/index.js): the runner starts it with the step's inputs in INPUT_*.
// One check and the process ends: see keepYoungGenerationSmall.
keepYoungGenerationSmall();
process.exitCode = await runAction({ env: process.env, cwd: process.cwd(), stdout: process.stdout });
