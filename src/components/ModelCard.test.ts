/** The model card link follows the model folder the page runs (`?model=`), under the app's base URL. */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ModelCard, modelCardUrl } from './ModelCard.tsx';

describe('ModelCard', () => {
  it("points at the model folder's README.md under the base URL", () => {
    expect(modelCardUrl('finer-lens-small', '/')).toBe('/models/finer-lens-small/README.md');
    expect(modelCardUrl('acme', '/app')).toBe('/app/models/acme/README.md');
    expect(modelCardUrl('acme', '/app/')).toBe('/app/models/acme/README.md');
  });

  it('is a closed disclosure that links the folder it was given, and fetches nothing until opened', () => {
    const html = renderToStaticMarkup(createElement(ModelCard, { model: 'acme' }));
    expect(html).toMatch(/^<details class="model-card"[^>]*><summary>Model card<\/summary>/);
    expect(html).not.toContain(' open');
    expect(html).toContain(`href="${modelCardUrl('acme')}"`);
    expect(html).not.toContain('<pre');
  });
});
