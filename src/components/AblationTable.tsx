import type { AblationReport } from '../app/reports.ts';
import { CARRIED_MARK, carriedSources, carriedTitle, fineTuneText, pctOrDash, PLOT_HEIGHT, PLOT_WIDTH, pretrainingText } from '@finer-lens/core/reports/ablation.ts';
import { displayNameOf } from '@finer-lens/core/ner/tags.ts';

/**
 * The ablation of ablation.json: the F1-vs-pretraining plot `lab ablation` drew, its F1-vs-labelled-data plot
 * when rows have labelled data (the labelled-data curve), and a row per model.
 */
export function AblationTable({ report, plotUrl, labelledPlotUrl }: { report: AblationReport; plotUrl: string; labelledPlotUrl: string }) {
  const curve = report.rows.filter((r) => r.labelled !== undefined);
  return (
    <section className="card" aria-labelledby="ablation-heading">
      <h3 id="ablation-heading">F1 against pretraining, and every ablation row</h3>
      <p className="hint">
        From <code>reports/ablation.json</code> (manifest <code>{report.manifest}</code>), built {report.date.slice(0, 10)} by{' '}
        <code>npm run lab -- ablation</code>. Test: entity micro F1 (seqeval) on the test split; FiNER sample: labelled-token micro F1 on
        FiNER-139's sparse-gold sample; 139-tag val: the best entity micro F1 on the validation split of the model's 139-tag
        stage, before it was fine-tuned on the 4 types. A line of the plot joins the rows of one recipe; – where a row has no such
        figure.
      </p>
      <figure className="chart ablation-plot">
        <img
          src={plotUrl}
          width={PLOT_WIDTH}
          height={PLOT_HEIGHT}
          alt="Micro F1 on the test split, on the FiNER sample and on the 139-tag stage's validation split against pretraining sub-tokens; the figures are in the table below"
        />
      </figure>
      {curve.length > 0 && (
        <figure className="chart ablation-plot labelled-plot">
          <img
            src={labelledPlotUrl}
            width={PLOT_WIDTH}
            height={PLOT_HEIGHT}
            alt={`Micro F1 on the test split and on the FiNER sample against the labelled train companies the fine-tune saw (${curve.length} rows: ${curve
              .map((r) => r.labelled!.companies)
              .filter((c, i, all) => all.indexOf(c) === i)
              .sort((a, b) => a - b)
              .join(', ')} companies); the figures are in the table below`}
          />
          <figcaption className="hint">
            What more labelled data buys: the same fine-tune from the same encoder on the labelled sentences of a share of the train
            companies (validation and test unchanged).
          </figcaption>
        </figure>
      )}
      <details className="ablation-rows">
        <summary>
          Every ablation row <span className="count">({report.rows.length} models)</span>
        </summary>
        <div className="table-scroll ablation-scroll" role="region" aria-label={`Ablation rows, ${report.rows.length} models`} tabIndex={0}>
          <table className="data-table ablation-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Group</th>
                <th scope="col">Pretraining</th>
                <th scope="col">Fine-tune</th>
                {report.types.map((t) => (
                  <th scope="col" key={t} title={t}>
                    {displayNameOf(t)} F1 %
                  </th>
                ))}
                <th scope="col">Test micro F1 %</th>
                <th scope="col">FiNER sample F1 %</th>
                <th scope="col" title="The 139-tag stage's best validation entity micro F1">
                  139-tag val F1 %
                </th>
                <th scope="col">Node sub-tokens/s</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.name} data-row={r.name} data-group={r.group}>
                  <th scope="row">
                    {r.name}
                    {r.carried && (
                      <>
                        {' '}
                        <abbr className="carried-mark" title={carriedTitle(r.carried)} aria-hidden="true">
                          {CARRIED_MARK}
                        </abbr>
                        <span className="visually-hidden"> ({carriedTitle(r.carried)})</span>
                      </>
                    )}
                    {r.params && <span className="count"> ({r.params})</span>}
                  </th>
                  <td className="text-cell">{r.group}</td>
                  <td className="text-cell">{pretrainingText(r)}</td>
                  <td className="text-cell">{fineTuneText(r)}</td>
                  {report.types.map((t) => (
                    <td key={t} data-metric={`f1-${t}`}>
                      {pctOrDash(r.test?.perTypeF1[t])}
                    </td>
                  ))}
                  <td data-metric="test-micro">{pctOrDash(r.test?.microF1)}</td>
                  <td data-metric="sample-micro">{pctOrDash(r.finerSample?.microF1)}</td>
                  <td data-metric="stage139-val">{pctOrDash(r.stage139?.validationF1)}</td>
                  <td data-metric="node-speed">{r.nodeSubTokensPerSecond !== undefined ? Math.round(r.nodeSubTokensPerSecond).toLocaleString('en-US') : '–'}</td>
                  <td className="text-cell">{r.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {carriedSources(report).map((c) => (
        <p className="hint carried-note" key={`${c.from} ${c.date}`}>
          {CARRIED_MARK} {c.rows.length === 1 ? 'Figures' : `Figures of ${c.rows.length} rows`} carried from an earlier report,{' '}
          <code>{c.from}</code> ({c.date.slice(0, 10)}): the run's files were not kept.
        </p>
      ))}
    </section>
  );
}
