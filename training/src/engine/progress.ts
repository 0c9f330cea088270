/**
 * Training progress on stderr: a cli-progress bar on a terminal, plain lines
 * (about 50 over the run) when output goes to a file or CI log.
 */
import cliProgress from 'cli-progress';

export interface StepInfo {
  loss: number;
  lr: number;
  tokensPerSec: number;
  /** Shown instead of "loss x" when a step has more than one loss (ELECTRA: generator, discriminator, replaced fraction). */
  detail?: string;
}

export interface Progress {
  update(step: number, info: StepInfo): void;
  /** A line that must stay readable (evaluation, checkpoint), above the bar. */
  log(line: string): void;
  /** The run's step count changed (pretraining's --budget-minutes re-fits it to the time left). */
  setTotal(totalSteps: number): void;
  stop(): void;
}

const fmt = (info: StepInfo) => `${info.detail ?? `loss ${info.loss.toFixed(4)}`} | lr ${info.lr.toExponential(2)} | ${Math.round(info.tokensPerSec)} tok/s`;

export function createProgress(totalSteps: number, startStep: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    let total = totalSteps;
    const every = Math.max(1, Math.floor(totalSteps / 50));
    return {
      update: (step, info) => {
        if (step % every === 0 || step === total) stream.write(`step ${step}/${total} | ${fmt(info)}\n`);
      },
      log: (line) => stream.write(line + '\n'),
      setTotal: (n) => {
        total = n;
      },
      stop: () => {},
    };
  }
  const multi = new cliProgress.MultiBar(
    { stream, format: 'train {bar} {value}/{total} | {info} | eta {eta_formatted}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(totalSteps, startStep, { info: '' });
  return {
    update: (step, info) => bar.update(step, { info: fmt(info) }),
    log: (line) => multi.log(line + '\n'),
    setTotal: (n) => bar.setTotal(n),
    stop: () => multi.stop(),
  };
}
