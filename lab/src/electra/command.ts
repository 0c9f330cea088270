/**
 * `lab electra`: `finer pretrain` with ELECTRA's objective (electra.ts): the
 * encoder becomes the discriminator of a small masked-LM generator; same
 * options, corpus, budget, checkpoints (the generator in generator/) and
 * --resume, and <out>/encoder is the discriminator, which `finer train
 * --init` loads. Its figures against masked LM are in lab/RESULTS.md.
 */
import type { Command } from 'commander';
import { action } from '@finer-lens/training/util/cli.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { int } from '@finer-lens/training/util/flags.ts';
import { addPretrainOptions, runPretrain, type PretrainFlags, type PretrainPlugin } from '@finer-lens/training/pretrain/command.ts';
import { lossSummary } from '@finer-lens/training/pretrain/checkpoint.ts';
import {
  discriminatorConfig, discriminatorParams, ELECTRA, electraObjective, freshGenerator, generatorConfig, generatorSize, readGenerator,
} from './electra.ts';

/** ELECTRA for `runPretrain`, with a generator of `layers` layers of width `dim` for a new run. */
export function electraPlugin(layers: number, dim: number): PretrainPlugin {
  return {
    kind: ELECTRA,
    start(encoder, { seed, weightDecay }) {
      const size = generatorSize(layers, dim);
      if (![size.n_layers, size.dim, size.n_heads, size.hidden_dim].every((n) => Number.isInteger(n) && n >= 1)) {
        throw new FinerError(`--generator-layers ${layers} --generator-dim ${dim}: expected positive integers`);
      }
      const gen = generatorConfig(encoder.config, size);
      const config = discriminatorConfig(encoder.config);
      return {
        config,
        params: discriminatorParams(config, encoder.params, seed),
        create: electraObjective({ config: gen, params: freshGenerator(gen, seed) }, { weightDecay }),
        options: { generator: size },
        note: `electra: generator ${gen.n_layers} layers, dim ${gen.dim}, ${gen.n_heads} heads, hidden ${gen.hidden_dim}; discriminator ${config.n_layers} layers, dim ${config.dim}`,
      };
    },
    async resume(ck) {
      return electraObjective(await readGenerator(ck.dir), { weightDecay: ck.state.options.weightDecay });
    },
    losses(state) {
      const disc = lossSummary(state.history);
      const gen = lossSummary(state.history.map((h) => ({ ...h, loss: h.generatorLoss ?? NaN })));
      return `discriminator loss ${disc.final.toFixed(4)}, generator loss ${gen.final.toFixed(4)}`;
    },
  };
}

export function registerElectra(program: Command): void {
  const command = program
    .command('electra')
    .description("ELECTRA pretraining of the encoder (replaced-token detection against a small masked-LM generator), with finer pretrain's options; writes <out>/encoder, the discriminator, for finer train --init")
    .option('--generator-layers <n>', 'n_layers of the generator', int('--generator-layers'), 2)
    .option('--generator-dim <n>', 'dim of the generator (heads dim/64, hidden 4 x dim)', int('--generator-dim'), 128);
  addPretrainOptions(command).action(
    action((f: PretrainFlags & { generatorLayers: number; generatorDim: number }) => runPretrain(f, electraPlugin(f.generatorLayers, f.generatorDim))),
  );
}
