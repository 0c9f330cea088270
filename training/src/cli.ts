#!/usr/bin/env node
import { Command } from 'commander';

// Each concept registers its own sub-commands; this file only wires them up.
const program = new Command('finer')
  .description('finer-lens training workspace: data, training, evaluation, export')
  .showHelpAfterError();

// (command modules are registered here)

await program.parseAsync(process.argv);
