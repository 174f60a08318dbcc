// The part of the WebAssembly JavaScript API the kernel uses: lore's TypeScript libraries (ES2023
// and @types/node, no DOM) do not declare the WebAssembly namespace that Node provides.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
