/**
 * The parts of the WebAssembly JavaScript API this package uses, typed here because
 * TypeScript declares them only in its DOM library, which the workspace leaves out.
 */

/** A compiled module; it can be sent to workers and instantiated many times. */
export interface WasmModule {
  readonly [Symbol.toStringTag]: string;
}

/** A linear memory; a shared one keeps its buffer when it grows. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** An instance of a module; its exports are checked before use (see `kernelExports`). */
export interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

/** What an instance is given: functions and memories, by module and name. */
export type WasmImports = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

interface WebAssemblyApi {
  readonly Module: new (bytes: ArrayBufferView | ArrayBuffer) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: ArrayBufferView | ArrayBuffer): Promise<WasmModule>;
  validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}

/** The host's `WebAssembly` object (Node and browsers both have one). */
export const webAssembly = (globalThis as unknown as { readonly WebAssembly: WebAssemblyApi }).WebAssembly;
