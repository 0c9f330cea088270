import { useAppStore } from '../store.ts';
import { FileOpener } from './FileOpener.tsx';
import { FilingSummary } from './FilingSummary.tsx';
import { ModelOnFiling } from './ModelOnFiling.tsx';
import { ParseProgressBar } from './ParseProgressBar.tsx';
import { SentenceList } from './SentenceList.tsx';

/** "Filing" tab: open an iXBRL filing, see its target-tag counts and tagged prose sentences. */
export function FilingScreen() {
  const filing = useAppStore((s) => s.filing);
  return (
    <section className="screen" aria-labelledby="filing-heading">
      <h2 id="filing-heading" className="visually-hidden">
        Filing viewer
      </h2>
      <FileOpener busy={filing.status === 'parsing'} />
      {filing.status === 'empty' && (
        <p className="hint">
          The filing is parsed in this browser tab; nothing is uploaded. You will see the counts of the four target
          tags and every prose sentence that holds one, with the tagged numbers highlighted.
        </p>
      )}
      {filing.status === 'parsing' && <ParseProgressBar fileName={filing.fileName} progress={filing.progress} />}
      {filing.status === 'ready' && filing.openError && <div role="alert" className="notice notice-error"><strong>Could not open that file; the filing below is still open.</strong> {filing.openError}</div>}
      {filing.status === 'error' && (
        <div role="alert" className="notice notice-error">
          <strong>Could not open the filing.</strong> {filing.message}
        </div>
      )}
      {filing.status === 'ready' && (
        <>
          <FilingSummary view={filing.view} parseMillis={filing.parseMillis} />
          <ModelOnFiling sentences={filing.view.sentences} />
          <SentenceList sentences={filing.view.sentences} />
        </>
      )}
    </section>
  );
}
