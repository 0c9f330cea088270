#!/usr/bin/env node
import { main } from './program.ts';

// `npm run finer -- ...` runs this file inside training/; paths the user typed
// are relative to where they typed them (npm's INIT_CWD), so resolve from there.
if (process.env.npm_lifecycle_event === 'finer' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// The commands are registered in program.ts, in the order of the pipeline.
await main(process.argv);
