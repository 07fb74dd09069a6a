import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs with apt (nothing here downloads a browser). */
export const chromiumPath = process.env['AXON_CHROMIUM'] ?? '/usr/bin/chromium';

/** Whether the browser is installed; outside CI its absence skips the browser tests, saying so. */
export const hasChromium = existsSync(chromiumPath);
export const chromiumSkipNote = hasChromium
  ? ''
  : ` (skipped: no Chromium at ${chromiumPath}; Debian: apt-get install chromium)`;
if (!hasChromium && process.env['CI'] === 'true')
  throw new Error(`the browser tests need Chromium at ${chromiumPath} (apt-get install chromium)`);

/**
 * Starts the system's Chromium headless, offline-friendly (no first-run, sync, component
 * updates or background networking), in a fresh profile of its own (Playwright makes one
 * per launch and removes it), with WebGL on SwiftShader, Chromium's software rasterizer,
 * since there is no GPU here.
 */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });

/** Console errors and warnings, and uncaught exceptions, of a page, as lines. */
export const watchConsole = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
};
