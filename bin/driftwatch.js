#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep compiled modules on disk between runs (NODE_DISABLE_COMPILE_CACHE=1 turns it off):
// a command starts faster from its second run on. The command is loaded after this line for that reason.
module.enableCompileCache?.();
const { main, prepareProcess } = await import('../dist/bundle/driftwatch.js');

prepareProcess(process.argv);

process.exitCode = await main(process.argv);
