/** `?model=`: which model folder the page asks the worker to load. */
import { describe, expect, it } from 'vitest';
import { MODEL_NAME, ModelError, modelNameOf } from './modelFolder.ts';

describe('modelNameOf', () => {
  it('is the shipped model without ?model=, and the named folder with it', () => {
    expect(modelNameOf('')).toBe(MODEL_NAME);
    expect(modelNameOf('?model=')).toBe(MODEL_NAME);
    expect(modelNameOf('?tab=tag')).toBe(MODEL_NAME);
    expect(modelNameOf('?model=acme-2024_adapted.v2')).toBe('acme-2024_adapted.v2');
    expect(modelNameOf('?tab=tag&model=acme')).toBe('acme');
  });

  it('refuses a name that is not one folder under models/, saying what is expected', () => {
    for (const bad of ['../secrets', 'a/b', '.hidden', 'x%20y', 'http://evil.example/m']) {
      expect(() => modelNameOf(`?model=${bad}`)).toThrow(ModelError);
    }
    expect(() => modelNameOf('?model=a/b')).toThrow(
      new ModelError(`?model=a/b: expected the name of a model folder under models/ (letters, digits, ".", "_" and "-"), such as ${MODEL_NAME}`),
    );
  });
});
