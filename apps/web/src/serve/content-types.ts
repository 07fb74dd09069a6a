/** The media type for a file name, by extension; `application/octet-stream` for the rest. */
export const contentTypeOf = (fileName: string): string => {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return contentTypes[extension] ?? 'application/octet-stream';
};

const contentTypes: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  wasm: 'application/wasm',
  // Served as files, not as Content-Encoding: the page decompresses and verifies them itself.
  gz: 'application/gzip',
  bin: 'application/octet-stream',
  png: 'image/png',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json; charset=utf-8',
};
