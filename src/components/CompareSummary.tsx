import type { Agreement, Difference } from '../app/agreement.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';
import type { Entity, TagResult } from '@finer-lens/core/ner/types.ts';
import { backendLabel, loadLabel, ms, providerLabel, ThresholdsNote } from './BackendSummary.tsx';
import { ModelCard } from './ModelCard.tsx';
import { RunNotice } from './RunNotice.tsx';

/** What each kind of difference means, given the two models' names. */
function kindLabel(kind: Difference['kind'], a: string, b: string): string {
  return { type: 'same characters, another type', 'only-a': `only ${a} found it`, 'only-b': `only ${b} found it`, span: 'different characters' }[kind];
}

function list(entities: readonly Entity[]): string {
  return entities.length === 0 ? '—' : entities.map((e) => `${e.text} (${displayNameOf(e.label)}, ${e.score.toFixed(3)})`).join('; ');
}

/**
 * Compare mode: do the two models agree (ONNX and transformers.js, or int8
 * and fp32), how fast was each, and where they differ.
 */
export function CompareSummary({ a, b, agreement }: { a: TagResult; b: TagResult; agreement: Agreement }) {
  const [nameA, nameB] = [backendLabel(a.provider), backendLabel(b.provider)];
  return (
    <section className="card compare-summary" aria-labelledby="compare-heading">
      <h3 id="compare-heading">
        {nameA} and {nameB} compared
      </h3>
      <p className={`agreement ${agreement.identical ? 'agree' : 'disagree'}`} data-testid="agreement" data-identical={agreement.identical}>
        {agreement.identical
          ? `Identical entities: both found the same ${agreement.same} entit${agreement.same === 1 ? 'y' : 'ies'} (largest score difference ${agreement.maxScoreDiff.toFixed(4)}).`
          : `${agreement.differences.length} difference${agreement.differences.length === 1 ? '' : 's'}: ${agreement.same} entities in common, ${nameA} found ${agreement.countA}, ${nameB} ${agreement.countB}.`}
      </p>
      <RunNotice />
      <ThresholdsNote provider={a.provider} />
      <div className="table-scroll">
        <table className="data-table compare-speed">
          <caption>Latency of each model on this text</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Provider</th>
              <th scope="col">Model load</th>
              <th scope="col">Tagging</th>
              <th scope="col">Sub-tokens/s</th>
              <th scope="col">Entities</th>
            </tr>
          </thead>
          <tbody>
            {(['a', 'b'] as const).map((side) => {
              const r = side === 'a' ? a : b;
              return (
                <tr key={side} data-side={side} data-backend={r.provider.backend} data-precision={r.provider.precision}>
                  <th scope="row">{backendLabel(r.provider)}</th>
                  <td>{providerLabel(r.provider)}</td>
                  <td>{loadLabel(r.timings)}</td>
                  <td data-testid={`latency-${side}`}>{ms(r.timings.totalMs)}</td>
                  <td>{r.timings.inferenceMs > 0 ? Math.round((r.timings.subTokens / r.timings.inferenceMs) * 1000).toLocaleString('en-US') : '—'}</td>
                  <td>{r.entities.length}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ModelCard model={a.provider.model} />
      {!agreement.identical && (
        <div className="table-scroll">
          <table className="data-table differences">
            <caption>Where they differ (marked with a dashed outline in the text)</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Difference</th>
                <th scope="col">{nameA}</th>
                <th scope="col">{nameB}</th>
              </tr>
            </thead>
            <tbody>
              {agreement.differences.map((d) => (
                <tr key={d.start} data-kind={d.kind}>
                  <th scope="row">
                    {d.start}–{d.end}
                  </th>
                  <td>{kindLabel(d.kind, nameA, nameB)}</td>
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
