import { createHash } from 'node:crypto';

/** SHA-256 as lowercase hex by Node.js's own crypto: the reference the web-standard digest is checked against. */
export const nodeSha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
