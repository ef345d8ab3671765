// Shared by the examples' browser tests: Debian's Chromium through playwright-core, headless, nothing reaching
// outside the machine, a screenshot of every page when a test fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const EXAMPLES_URL = required('EXAMPLES_URL');

export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * Runs `test(open)` where `open(name, path)` gives a page in its own browser context (its own storage): `path` under
 * EXAMPLES_URL, or a whole URL.
 */
export async function run(name, test) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--allow-loopback-in-peer-connection',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  const pages = [];
  const outside = [];
  const open = async (who, path) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => {
      const host = new URL(request.url()).hostname;
      if (!['127.0.0.1', 'localhost'].includes(host)) outside.push(request.url());
    });
    page.on('pageerror', (error) => console.error(`${who}: page error: ${error.message}`));
    pages.push({ who, page });
    await page.goto(path.startsWith('http') ? path : `${EXAMPLES_URL}${path}`);
    return page;
  };
  try {
    await test(open);
    if (outside.length) throw new Error(`requests outside the machine: ${outside.join(', ')}`);
    console.log(`${name}: passed`);
  } catch (error) {
    const dir = process.env.SCREENSHOTS ?? 'screenshots';
    mkdirSync(dir, { recursive: true });
    for (const { who, page } of pages) {
      await page.screenshot({ path: `${dir}/${name}-${who}.png`, fullPage: true }).catch(() => {});
    }
    console.error(`${name}: FAILED (screenshots in ${dir}): ${error.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

/** Waits until the page's element `selector` has a line equal to `text` (each <li>), with a deadline. */
export async function line(page, selector, text, timeout = 15_000) {
  await page.waitForFunction(
    ([s, t]) => [...document.querySelectorAll(`${s} li`)].some((li) => li.textContent === t),
    [selector, text],
    { timeout },
  ).catch((error) => { throw new Error(`no line "${text}" in ${selector}: ${error.message}`); });
}

/** The lines of the page's element `selector`. */
export function lines(page, selector) {
  return page.$$eval(`${selector} li`, (items) => items.map((li) => li.textContent));
}
