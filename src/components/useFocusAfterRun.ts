import { useEffect, useRef } from 'react';

/**
 * When a run ends, its progress bar and Cancel go away and the Run/Tag button was disabled, so
 * focus falls to <body>: put it on the results (`done(status)`), or back on the button after a
 * cancel or an error, unless the user has moved it meanwhile (say, typing in the text area).
 * Returns the refs to give the results region (focusable, tabIndex -1) and the button.
 */
export function useFocusAfterRun<S extends string>(status: S | 'running', done: (status: S | 'running') => boolean) {
  const results = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const lastStatus = useRef(status);
  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = status;
    if (was !== 'running' || status === 'running') return;
    const active = document.activeElement;
    const lost = active === null || active === document.body || (active instanceof HTMLButtonElement && active.disabled);
    if (!lost) return;
    if (done(status)) results.current?.focus();
    else button.current?.focus();
  }, [status]); // `done` is a pure reading of the status: only a new status matters
  return { results, button };
}
