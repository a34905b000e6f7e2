/**
 * End-to-end harness: serves the production build (dist/) on a free loopback port and drives Debian's Chromium
 * with playwright-core. A missing Chromium fails in CI and skips loudly elsewhere.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { IN_CI } from '../helpers/oracle';

export const CHROMIUM = '/usr/bin/chromium';
export const DIST = resolve('dist');
export const OUT_DIR = resolve('test-results/e2e');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.gz': 'application/octet-stream',
};

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `${CHROMIUM} is missing: install it with "apt-get install chromium"`;
  if (IN_CI) throw new Error(`browser tests need Chromium in CI: ${reason}`);
  console.warn(`SKIP browser tests: ${reason}`);
  return false;
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** The headers vite.config.ts sends (npm start / dev): cross-origin isolation, so wasm can use threads. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** Serve `dir` (the built app) like a plain static host: no special headers, unless `isolated` (COOP/COEP). */
export async function serveDist(dir = DIST, options: { isolated?: boolean } = {}): Promise<StaticServer> {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run "npx vite build" first`);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...(options.isolated ? ISOLATION_HEADERS : {}) });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The flags every browser test and bench launches Chromium with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/** Long tasks (> 50 ms) on the main thread from the very start of the page, in `window.__longTasks`. */
export const RECORD_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
`;

export async function openPage(browser: Browser, url: string, options: { initScript?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  if (options.initScript) await page.addInitScript(options.initScript);
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * For a describe block: serve dist/ and start Chromium before its tests, stop both after. The returned object's
 * fields are set once beforeAll has run.
 */
export function useAppInChromium(options: { isolated?: boolean } = {}): { server: StaticServer; browser: Browser } {
  const env = {} as { server: StaticServer; browser: Browser };
  beforeAll(async () => {
    env.server = await serveDist(DIST, options);
    env.browser = await launchChromium();
  });
  // A test's pages go with it: left open, their workers keep computing and slow every later test.
  afterEach(async () => {
    for (const c of env.browser?.contexts() ?? []) await c.close();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Until the lazily loaded cytoscape has drawn the Mapper graph (its debug handle is set once the build is done). */
export async function waitForGraphDrawn(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const cy = (window as unknown as { __convtopo?: { cy?: { nodes(): { length: number } } } }).__convtopo?.cy;
      return cy !== undefined && cy.nodes().length > 0;
    },
    undefined,
    { timeout, polling: 50 },
  );
}
