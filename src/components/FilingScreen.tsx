import { useEffect, useRef } from 'react';
import { useAppStore, type FilingState } from '../store.ts';
import { FileOpener } from './FileOpener.tsx';
import { FilingSummary } from './FilingSummary.tsx';
import { ModelOnFiling } from './ModelOnFiling.tsx';
import { ParseProgressBar } from './ParseProgressBar.tsx';
import { SentenceList } from './SentenceList.tsx';

/**
 * Outcomes of an opening already announced by moving focus: coming back to
 * the tab re-renders the same outcome, which must not take the focus again.
 */
const focused = new WeakSet<FilingState>();

/** "Filing" tab: open an iXBRL filing, see its target-tag counts and tagged prose sentences. */
export function FilingScreen() {
  const filing = useAppStore((s) => s.filing);
  const heading = useRef<HTMLHeadingElement>(null);
  const alert = useRef<HTMLDivElement>(null);

  // The file input and the sample button are disabled while the file is parsed, so focus falls to <body>:
  // give it to the filing's heading once the file is open, or to the message when it could not be.
  useEffect(() => {
    if (filing.status !== 'ready' && filing.status !== 'error') return;
    if (focused.has(filing)) return;
    focused.add(filing);
    (filing.status === 'ready' && !filing.openError ? heading : alert).current?.focus();
  }, [filing]);

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
      {filing.status === 'ready' && filing.openError && (
        <div role="alert" className="notice notice-error" tabIndex={-1} ref={alert}>
          <strong>Could not open that file; the filing below is still open.</strong> {filing.openError}
        </div>
      )}
      {filing.status === 'error' && (
        <div role="alert" className="notice notice-error" tabIndex={-1} ref={alert}>
          <strong>Could not open the filing.</strong> {filing.message}
        </div>
      )}
      {filing.status === 'ready' && (
        <>
          <FilingSummary view={filing.view} parseMillis={filing.parseMillis} headingRef={heading} />
          <ModelOnFiling sentences={filing.view.sentences} company={filing.view.company} />
          <SentenceList sentences={filing.view.sentences} />
        </>
      )}
    </section>
  );
}
