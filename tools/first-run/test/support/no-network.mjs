// Preloaded (NODE_OPTIONS=--import) where no network namespace can be made: every Node.js
// process of a run, npm and axon included, then fails any connection that would leave
// the machine, as it would on a machine with no network. Unix sockets and loopback work.
import net from 'node:net';

const isLocal = (host) => host === undefined || host === 'localhost' || host === '::1' || /^(::ffff:)?127\./.test(host);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  if (options.path !== undefined || isLocal(options.host)) return connect.apply(this, args);
  const error = Object.assign(new Error(`connect ENETUNREACH ${options.host} (no network)`), { code: 'ENETUNREACH' });
  process.nextTick(() => this.destroy(error));
  return this;
};
