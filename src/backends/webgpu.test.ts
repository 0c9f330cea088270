import { describe, expect, it } from 'vitest';
import { softwareAdapter } from './webgpu.ts';

describe('softwareAdapter', () => {
  it("names Chromium's SwiftShader adapter, as its adapter.info reads", () => {
    expect(softwareAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' })).toBe('SwiftShader');
    expect(softwareAdapter({ vendor: '', architecture: '', description: 'SwiftShader Device (Subzero)' })).toBe('SwiftShader');
  });

  it('knows Mesa llvmpipe and the spec flag isFallbackAdapter', () => {
    expect(softwareAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe('llvmpipe (LLVM 15.0.6, 256 bits)');
    expect(softwareAdapter({ vendor: 'intel', isFallbackAdapter: true })).toBe('a fallback adapter');
  });

  it('takes a hardware adapter for one', () => {
    expect(softwareAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBeUndefined();
    expect(softwareAdapter({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false })).toBeUndefined();
    expect(softwareAdapter({})).toBeUndefined();
  });
});
