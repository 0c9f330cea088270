import { useState } from 'react';

/** Where a model folder's card is: models/<model>/README.md under the app's base URL (the Hugging Face model card). */
export function modelCardUrl(model: string, base: string = import.meta.env.BASE_URL): string {
  return `${base.replace(/\/?$/, '/')}models/${model}/README.md`;
}

type Card = { status: 'closed' } | { status: 'loading' } | { status: 'ready'; text: string } | { status: 'error'; message: string };

/**
 * The model folder's README.md, fetched when first opened and shown as plain
 * text (never rendered as HTML), with a link to the file itself.
 */
export function ModelCard({ model }: { model: string }) {
  const [card, setCard] = useState<Card>({ status: 'closed' });
  const url = modelCardUrl(model);
  const open = async () => {
    setCard({ status: 'loading' });
    try {
      const response = await fetch(url);
      const html = (response.headers.get('content-type') ?? '').includes('text/html'); // the dev server's fallback page
      if (!response.ok || html) throw new Error(response.ok ? 'not found' : `HTTP ${response.status}`);
      setCard({ status: 'ready', text: await response.text() });
    } catch (err) {
      setCard({ status: 'error', message: `models/${model}/README.md could not be read (${err instanceof Error ? err.message : String(err)}).` });
    }
  };
  return (
    <details className="model-card" data-testid="model-card" onToggle={(e) => e.currentTarget.open && (card.status === 'closed' || card.status === 'error') && void open()}>
      <summary>Model card</summary>
      <p className="hint">
        <a href={url} target="_blank" rel="noopener">
          models/{model}/README.md
        </a>
        : what the model was trained on, how, and its scores.
      </p>
      {card.status === 'loading' && <p role="status">Loading the model card…</p>}
      {card.status === 'error' && <p className="notice">{card.message}</p>}
      {card.status === 'ready' && (
        <pre className="model-card-text" role="region" aria-label={`Model card of ${model}`} tabIndex={0}>
          {card.text}
        </pre>
      )}
    </details>
  );
}
