// Prints the size of each package's browser bundle (npm run bench -w @axon/web).
import { browserEntries, bundleForBrowser } from './package-bundles.js';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
  'package                     minified     gzipped   (esbuild --platform=browser --minify, with dependencies)',
);
for (const [name, entry] of Object.entries(browserEntries)) {
  const bundle = await bundleForBrowser(name, entry);
  if (bundle.errors.length > 0) console.log(`${name.padEnd(26)} does not bundle: ${bundle.errors[0]}`);
  else console.log(`${name.padEnd(26)} ${kib(bundle.bytes).padStart(11)} ${kib(bundle.gzipBytes).padStart(11)}`);
}
