// A page that starts the wasm backend on its main thread, or with `?in=worker` in a Web
// Worker, and publishes the probe for the browser test to read.
import { probeWasm } from './wasm-probe.js';

const publish = (probe: unknown): void => {
  (globalThis as unknown as { wasmProbe: unknown }).wasmProbe = probe;
};

if (new URLSearchParams(location.search).get('in') === 'worker') {
  const worker = new Worker(new URL('./wasm-probe-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent) => publish(event.data);
  worker.onerror = (event) => publish({ error: event.message });
} else {
  void probeWasm().then(publish);
}
