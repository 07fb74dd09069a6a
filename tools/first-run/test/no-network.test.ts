// The fallback isolation, for machines where `unshare -n` is not allowed: the preload must
// refuse a connection off the machine before anything is sent, and leave loopback alone.
// The outside host is one that can never resolve (.invalid, RFC 2606), so that even a
// broken preload reaches no server.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const preload = pathToFileURL(fileURLToPath(new URL('./support/no-network.mjs', import.meta.url))).href;

const probe = `
import net from 'node:net';
const outside = await fetch('http://axon-first-run.invalid/').then(() => 'connected', (e) => String(e.cause?.message ?? e));
const server = net.createServer((socket) => socket.end('hello')).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const reply = await new Promise((resolve, reject) => {
  net.connect(server.address().port, '127.0.0.1').setEncoding('utf8').on('data', resolve).on('error', reject);
});
server.close();
console.log(JSON.stringify({ outside, reply }));
`;

describe('the no-network preload', () => {
  it('refuses connections off the machine and allows loopback', () => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      env: { ...process.env, NODE_OPTIONS: `--import=${preload}` },
      encoding: 'utf8',
    });
    const { outside, reply } = JSON.parse(output) as { outside: string; reply: string };
    expect(outside).toMatch(/ENETUNREACH axon-first-run\.invalid \(no network\)/);
    expect(reply).toBe('hello');
  });
});
