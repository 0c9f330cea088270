#!/usr/bin/env node
import { main } from './program.ts';

// `npm run lab -- ...` runs this file inside lab/; paths the user typed are
// relative to where they typed them (npm's INIT_CWD), so resolve from there.
if (process.env.npm_lifecycle_event === 'lab' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// The experiments are registered in program.ts.
await main(process.argv);
