import { describe, expect, it } from 'vitest';
import { browserHost } from '../src/edge/browser-host.js';
import { nodeHost } from '../src/edge/runtime.js';
import type { RuntimeHost } from '../src/runtime/host.js';
import { startRuntime } from '../src/runtime/start.js';

describe('the thread count a host allows', () => {
  it('runs as many threads as it can when asked for more, and says why', async () => {
    const oneThread: RuntimeHost = { ...nodeHost, threadCapacity: () => ({ most: 1, reason: 'no workers here' }) };
    const runtime = await startRuntime(oneThread, { threads: 3, fma: false });
    expect(runtime.threads).toBe(1);
    expect(runtime.threadLimit).toBe('1 of the 3 threads asked for: no workers here');
    await runtime.dispose();
  });

  it('says nothing when every thread asked for runs', async () => {
    const runtime = await startRuntime(nodeHost, { threads: 2, fma: false });
    expect(runtime.threads).toBe(2);
    expect(runtime.threadLimit).toBeUndefined();
    await runtime.dispose();
  });

  it("allows one thread outside a Web Worker, since a page's main thread cannot block in Atomics.wait", () => {
    // Node's main thread has no WorkerGlobalScope, as a page's main thread has none.
    expect(browserHost.threadCapacity()).toEqual({
      most: 1,
      reason: expect.stringMatching(/main thread cannot wait for worker threads \(Atomics\.wait\)/),
    });
  });
});
