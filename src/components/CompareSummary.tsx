import type { Agreement, Difference } from '../app/agreement.ts';
import { displayNameOf } from '../app/tags.ts';
import type { Entity, TagResult } from '../backends/types.ts';
import { backendLabel, loadLabel, ms, providerLabel, ThresholdsNote } from './BackendSummary.tsx';
import { RunNotice } from './RunNotice.tsx';

const KINDS: Record<Difference['kind'], string> = {
  type: 'same characters, another type',
  'only-a': 'only ONNX found it',
  'only-b': 'only transformers.js found it',
  span: 'different characters',
};

function list(entities: readonly Entity[]): string {
  return entities.length === 0 ? '—' : entities.map((e) => `${e.text} (${displayNameOf(e.label)}, ${e.score.toFixed(3)})`).join('; ');
}

/** Compare mode: do the two backends agree, how fast was each, and where they differ. */
export function CompareSummary({ onnx, hf, agreement }: { onnx: TagResult; hf: TagResult; agreement: Agreement }) {
  return (
    <section className="card compare-summary" aria-labelledby="compare-heading">
      <h3 id="compare-heading">ONNX and transformers.js compared</h3>
      <p className={`agreement ${agreement.identical ? 'agree' : 'disagree'}`} data-testid="agreement" data-identical={agreement.identical}>
        {agreement.identical
          ? `Identical entities: both backends found the same ${agreement.same} entit${agreement.same === 1 ? 'y' : 'ies'} (largest score difference ${agreement.maxScoreDiff.toFixed(4)}).`
          : `${agreement.differences.length} difference${agreement.differences.length === 1 ? '' : 's'}: ${agreement.same} entities in common, ONNX found ${agreement.countA}, transformers.js ${agreement.countB}.`}
      </p>
      <RunNotice />
      <ThresholdsNote provider={onnx.provider} />
      <div className="table-scroll">
        <table className="data-table compare-speed">
          <caption>Latency of each backend on this text</caption>
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col">Provider</th>
              <th scope="col">Model load</th>
              <th scope="col">Tagging</th>
              <th scope="col">Sub-tokens/s</th>
              <th scope="col">Entities</th>
            </tr>
          </thead>
          <tbody>
            {[onnx, hf].map((r) => (
              <tr key={r.provider.backend} data-backend={r.provider.backend}>
                <th scope="row">{backendLabel(r.provider)}</th>
                <td>{providerLabel(r.provider)}</td>
                <td>{loadLabel(r.timings)}</td>
                <td data-testid={`latency-${r.provider.backend}`}>{ms(r.timings.totalMs)}</td>
                <td>{r.timings.inferenceMs > 0 ? Math.round((r.timings.subTokens / r.timings.inferenceMs) * 1000).toLocaleString('en-US') : '—'}</td>
                <td>{r.entities.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!agreement.identical && (
        <div className="table-scroll">
          <table className="data-table differences">
            <caption>Where they differ (marked with a dashed outline in the text)</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Difference</th>
                <th scope="col">ONNX</th>
                <th scope="col">transformers.js</th>
              </tr>
            </thead>
            <tbody>
              {agreement.differences.map((d) => (
                <tr key={d.start} data-kind={d.kind}>
                  <th scope="row">
                    {d.start}–{d.end}
                  </th>
                  <td>{KINDS[d.kind]}</td>
                  <td>{list(d.a)}</td>
                  <td>{list(d.b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
