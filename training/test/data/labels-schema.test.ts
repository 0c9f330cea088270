import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';

// The dataset's schema as published with the data, beside the repository.
const SHARED_LABELS = new URL('../../../../shared/data/finer139_labels.json', import.meta.url);

it('FINER139_LABELS equals ../shared/data/finer139_labels.json, in order', () => {
  const expected: unknown = JSON.parse(readFileSync(SHARED_LABELS, 'utf8'));
  expect(FINER139_LABELS).toEqual(expected);
});
