import { chromium, type Browser } from 'playwright-core';

/**
 * Launches the system Chromium headless for browser tests of the web pages (the node's status page, the admin
 * console), with the flags this project runs it with everywhere: no sandbox, no background traffic of its own.
 */
export function launchTestChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
}
