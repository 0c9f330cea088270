import { useState } from 'react';
import { falseAlarmExcerpt } from '../app/falseAlarms.ts';
import type { WholeDocEvaluation } from '../app/reports.ts';
import { displayNameOf, targetTag } from '@finer-lens/core/ner/tags.ts';

/** False alarms listed at first; the rest on request. */
const EXAMPLES_SHOWN = 10;

const pct = (x: number) => (x * 100).toFixed(1);
const fmt = (n: number) => n.toLocaleString('en-US');
const perFiling = (n: number) => n.toFixed(2);

/**
 * eval.json's `wholeDocument` (`finer evaluate --whole-doc`): the model on
 * every prose sentence with a digit of a split's filings, as users paste
 * them: entity scores where the filers tagged, and what it finds where they
 * did not.
 */
/** Which of the model folder's cuts the predictions went through, as a sentence (empty for none). */
function afterCuts(thresholded: boolean, checked: boolean): string {
  if (thresholded && checked) return ' Predictions are after the per-type thresholds and the context check.';
  if (thresholded) return ' Predictions are after the per-type thresholds.';
  return checked ? ' Predictions are after the context check.' : '';
}

export function WholeDocuments({ whole, thresholded, checked = false }: { whole: WholeDocEvaluation; thresholded: boolean; checked?: boolean }) {
  const [shown, setShown] = useState(EXAMPLES_SHOWN);
  const { tagged, untagged } = whole;
  const types = tagged.types;
  const { micro } = tagged;
  return (
    <section className="card whole-documents" aria-labelledby="whole-doc-heading" data-testid="whole-documents">
      <h3 id="whole-doc-heading">Whole documents</h3>
      <p className="hint">
        Every prose sentence with a digit of the {whole.split} split's filings (<code>{whole.source}</code>):{' '}
        {fmt(whole.sentences.tagged)} sentences that hold a FiNER-139 tag, scored against the filers' tags, and{' '}
        {fmt(whole.sentences.untagged)} that hold none, where every entity is either a <em>repeat</em> (the number of a target fact
        the same filing tags elsewhere, possibly right) or an <em>other</em>. Others in sentences without debt words (note, credit,
        loan, interest, …) are the clearest false alarms.{afterCuts(thresholded, checked)}
      </p>
      <dl className="cover-facts whole-doc-facts">
        <div>
          <dt>Filings</dt>
          <dd data-metric="filings">{fmt(whole.filings)}</dd>
        </div>
        <div>
          <dt>Tagged sentences P / R / F1</dt>
          <dd data-metric="tagged-f1">
            {pct(micro.precision)} / {pct(micro.recall)} / {pct(micro.f1)}%
          </dd>
        </div>
        <div>
          <dt>Untagged, per filing: repeats</dt>
          <dd data-metric="repeats-per-filing">{perFiling(whole.perFiling.repeats)}</dd>
        </div>
        <div>
          <dt>Others</dt>
          <dd data-metric="others-per-filing">{perFiling(whole.perFiling.others)}</dd>
        </div>
        <div>
          <dt>Others without debt words</dt>
          <dd data-metric="others-no-debt-per-filing">{perFiling(whole.perFiling.othersNoDebt)}</dd>
        </div>
      </dl>
      <div className="table-scroll">
        <table className="data-table whole-doc-table">
          <caption>Per type: tagged sentences scored, entities in untagged ones</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Precision %</th>
              <th scope="col">Recall %</th>
              <th scope="col">F1 %</th>
              <th scope="col">Repeats</th>
              <th scope="col">Others</th>
              <th scope="col">Others, no debt words</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => {
              const s = tagged.perType[t]!;
              return (
                <tr key={t} data-type={t}>
                  <th scope="row" title={t}>
                    <span className={`swatch tag-${targetTag(t)?.id ?? 0}`} aria-hidden="true" />
                    {displayNameOf(t)}
                  </th>
                  <td>{pct(s.precision)}</td>
                  <td>{pct(s.recall)}</td>
                  <td data-metric="f1">{pct(s.f1)}</td>
                  <td data-metric="repeats">{fmt(untagged.repeats.perType[t] ?? 0)}</td>
                  <td data-metric="others">{fmt(untagged.others.perType[t] ?? 0)}</td>
                  <td data-metric="others-no-debt">{fmt(untagged.othersNoDebt.perType[t] ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr data-type="all">
              <th scope="row">All ({fmt(whole.filings)} filings)</th>
              <td>{pct(micro.precision)}</td>
              <td>{pct(micro.recall)}</td>
              <td data-metric="f1">{pct(micro.f1)}</td>
              <td data-metric="repeats">{fmt(untagged.repeats.total)}</td>
              <td data-metric="others">{fmt(untagged.others.total)}</td>
              <td data-metric="others-no-debt">{fmt(untagged.othersNoDebt.total)}</td>
            </tr>
            <tr data-type="per-filing">
              <th scope="row">Per filing</th>
              <td colSpan={3} />
              <td data-metric="repeats">{perFiling(whole.perFiling.repeats)}</td>
              <td data-metric="others">{perFiling(whole.perFiling.others)}</td>
              <td data-metric="others-no-debt">{perFiling(whole.perFiling.othersNoDebt)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {whole.examples.length > 0 && (
        <div className="table-scroll">
          <table className="data-table false-alarms-table">
            <caption>
              False alarms: others without debt words{' '}
              <span className="count">
                ({whole.examples.length < untagged.othersNoDebt.total ? `the first ${whole.examples.length} of ${fmt(untagged.othersNoDebt.total)}` : fmt(whole.examples.length)})
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Text</th>
                <th scope="col">Score</th>
                <th scope="col">Sentence</th>
                <th scope="col">Filing</th>
              </tr>
            </thead>
            <tbody>
              {whole.examples.slice(0, shown).map((e) => {
                const x = falseAlarmExcerpt(e);
                return (
                  <tr key={`${e.source}:${e.sentence}:${e.word}`} data-type={e.type}>
                    <td className="text-cell" title={e.type}>
                      <span className={`swatch tag-${targetTag(e.type)?.id ?? 0}`} aria-hidden="true" />
                      {displayNameOf(e.type)}
                    </td>
                    <th scope="row" className="entity-value">
                      {e.text}
                    </th>
                    <td>{e.score.toFixed(3)}</td>
                    <td className="text-cell sentence-cell" title={e.sentence}>
                      {x.before}
                      <mark className={`entity tag-${targetTag(e.type)?.id ?? 0}`}>{x.text}</mark>
                      {x.after}
                    </td>
                    <td className="text-cell source-cell">
                      <code>{e.source}</code>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {whole.examples.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown(whole.examples.length)}>
          Show all {whole.examples.length} false alarms
        </button>
      )}
    </section>
  );
}
