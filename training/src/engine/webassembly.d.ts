/**
 * The part of the WebAssembly JS API that the optimizer kernels use
 * (`simd.ts`). Node has it globally, but this workspace's libs (ES2023 +
 * @types/node 20) do not declare it, and the DOM lib would bring in much
 * more. Written in lib.dom's style (interface + var) so that it merges with
 * a fuller declaration if one appears.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor { initial: number; maximum?: number }
  interface Memory { readonly buffer: ArrayBuffer }
  var Memory: { prototype: Memory; new (descriptor: MemoryDescriptor): Memory };
  interface Module {}
  var Module: { prototype: Module; new (bytes: BufferSource): Module };
  interface Instance { readonly exports: Record<string, unknown> }
  var Instance: { prototype: Instance; new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance };
}
