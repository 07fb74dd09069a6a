// The probe in a Web Worker, where the backend may start threads of its own.
import { probeWasm } from './wasm-probe.js';

void probeWasm().then((probe) => (globalThis as unknown as { postMessage(message: unknown): void }).postMessage(probe));
