import { definedRates, type Finding } from '../app/filingScore.ts';
import type { SentenceView } from '../app/filingView.ts';
import { displayNameOf, targetTag } from '@finer-lens/core/ner/tags.ts';
import { BACKEND_NAMES, useAppStore } from '../store.ts';
import { backendLabel, ms, providerLabel, ThresholdsNote } from './BackendSummary.tsx';
import { ModelLoadProgress } from './ModelLoadProgress.tsx';
import { SeenInTraining } from './SeenInTraining.tsx';
import { TagProgressBar } from './TagProgressBar.tsx';
import { useFocusAfterRun } from './useFocusAfterRun.ts';

/** Findings listed at once. */
const LIST_MAX = 100;
/** Characters of context each side of a finding. */
const CONTEXT = 140;

const pct = (x: number) => (x * 100).toFixed(1);
/** A rate, or a dash where there was nothing to score it on. */
const pctOrDash = (x: number | undefined) => (x === undefined ? '—' : pct(x));
const percentOrDash = (x: number | undefined) => (x === undefined ? '—' : `${pct(x)}%`);

/** A finding in its sentence: the characters marked, some context either side. */
function FindingExcerpt({ finding, sentence }: { finding: Finding; sentence: SentenceView }) {
  // whole words of context: cut at the first space inside the window on either side
  let from = Math.max(0, finding.start - CONTEXT);
  if (from > 0) from = Math.min(finding.start, sentence.text.indexOf(' ', from) + 1 || finding.start);
  let to = Math.min(sentence.text.length, finding.end + CONTEXT);
  if (to < sentence.text.length) to = Math.max(finding.end, sentence.text.lastIndexOf(' ', to));
  return (
    <p className="sentence">
      {from > 0 && '…'}
      {sentence.text.slice(from, finding.start)}
      <mark className={`entity tag-${targetTag(finding.type)?.id ?? 0}`} title={displayNameOf(finding.type)}>
        {finding.text}
      </mark>
      {sentence.text.slice(finding.end, to)}
      {to < sentence.text.length && '…'}
    </p>
  );
}

function FindingList({ title, id, findings, sentences, otherName }: { title: string; id: string; findings: Finding[]; sentences: SentenceView[]; otherName: string }) {
  return (
    <section className="findings" aria-labelledby={id} data-findings={id}>
      <h4 id={id}>
        {title} <span className="count">({findings.length})</span>
      </h4>
      {findings.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <ol className="sentence-list finding-list">
          {findings.slice(0, LIST_MAX).map((f) => (
            <li key={`${f.sentence}:${f.start}:${f.type}`} data-type={f.type}>
              <span className="finding-type">
                {displayNameOf(f.type)}
                {f.other && ` (${otherName}: ${displayNameOf(f.other)})`}
              </span>
              <FindingExcerpt finding={f} sentence={sentences[f.sentence]!} />
            </li>
          ))}
        </ol>
      )}
      {findings.length > LIST_MAX && <p className="hint">The first {LIST_MAX} of {findings.length} are listed.</p>}
    </section>
  );
}

/** The model on the opened filing: run it, then its precision, recall and F1 against the filer's tags, misses and false alarms. */
export function ModelOnFiling({ sentences, company }: { sentences: SentenceView[]; company: string }) {
  const run = useAppStore((s) => s.filingModel);
  const start = useAppStore((s) => s.runModelOnFiling);
  const cancel = useAppStore((s) => s.cancelFilingModel);
  const backend = useAppStore((s) => s.backend);
  const precision = useAppStore((s) => s.precision);
  const micro = run.status === 'done' ? definedRates(run.score.metrics.micro) : undefined;
  const goldFacts = sentences.reduce((n, s) => n + s.spans.filter((sp) => sp.target > 0).length, 0);

  // When a run ends, focus goes to the score, or back on the Run button (as on the Tag text screen).
  const { results, button: runButton } = useFocusAfterRun(run.status, (status) => status === 'done');
  return (
    <section className="card model-on-filing" aria-labelledby="model-filing-heading">
      <h3 id="model-filing-heading">The model on this filing</h3>
      <p className="hint">
        The model tags the {sentences.length} prose sentence{sentences.length === 1 ? '' : 's'} that hold a FiNER-139 tag; the filer's{' '}
        {goldFacts} target fact{goldFacts === 1 ? '' : 's'} in them are the gold (a fact's first word, as in the training data). Backend
        and precision are those chosen on the Tag text screen.
      </p>
      {run.status !== 'running' && (
        <button type="button" className="primary" ref={runButton} disabled={sentences.length === 0} onClick={() => void start()}>
          Run the model ({BACKEND_NAMES[backend]}, {precision})
        </button>
      )}
      {run.status === 'running' && <TagProgressBar step={run.step} progress={run.progress} onCancel={cancel} />}
      {run.status === 'running' && <ModelLoadProgress />}
      {run.status === 'cancelled' && (
        <p className="notice" role="status">
          Cancelled.
        </p>
      )}
      {run.status === 'error' && (
        <div role="alert" className="notice notice-error">
          <strong>The model could not run.</strong> {run.message}
        </div>
      )}
      {run.status === 'done' && micro && (
        <div className="filing-model-results" ref={results} tabIndex={-1} role="region" aria-label="The model's score on this filing">
          <p className="model-filing-score" data-testid="filing-score">
            <span>
              Precision <strong data-metric="precision">{percentOrDash(micro.precision)}</strong>
            </span>
            <span>
              Recall <strong data-metric="recall">{percentOrDash(micro.recall)}</strong>
            </span>
            <span>
              F1 <strong data-metric="f1">{percentOrDash(micro.f1)}</strong>
            </span>
            <span className="count">
              {backendLabel(run.provider)}, {providerLabel(run.provider)}, {ms(run.timings.totalMs)} for{' '}
              {run.timings.subTokens.toLocaleString('en-US')} sub-tokens
            </span>
          </p>
          <SeenInTraining company={company} as="note" />
          <ThresholdsNote provider={run.provider} />
          <div className="table-scroll">
            <table className="data-table filing-metrics">
              <caption>Per type (entities)</caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Filer</th>
                  <th scope="col">Model</th>
                  <th scope="col">Both</th>
                  <th scope="col">Precision %</th>
                  <th scope="col">Recall %</th>
                  <th scope="col">F1 %</th>
                </tr>
              </thead>
              <tbody>
                {run.score.metrics.types.map((t) => {
                  const s = run.score.metrics.perType[t]!;
                  const rates = definedRates(s);
                  return (
                    <tr key={t} data-type={t}>
                      <th scope="row">
                        <span className={`swatch tag-${targetTag(t)?.id ?? 0}`} aria-hidden="true" />
                        {displayNameOf(t)}
                      </th>
                      <td>{s.support}</td>
                      <td>{s.tp + s.fp}</td>
                      <td>{s.tp}</td>
                      <td data-metric="precision">{pctOrDash(rates.precision)}</td>
                      <td data-metric="recall">{pctOrDash(rates.recall)}</td>
                      <td data-metric="f1">{pctOrDash(rates.f1)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="findings-columns">
            <FindingList title="Misses: filer's facts the model did not find" id="misses" findings={run.score.misses} sentences={sentences} otherName="model said" />
            <FindingList title="False alarms: model entities the filer did not tag" id="false-alarms" findings={run.score.falseAlarms} sentences={sentences} otherName="filer tagged" />
          </div>
        </div>
      )}
    </section>
  );
}
