import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedServer, startServer } from '../server-kit.js';

/**
 * The dashboard in a real browser: headless Chromium against the production server (dist/, as
 * `npm start` runs it, with the dashboard npm test builds first) on the demo data. A visitor
 * searches, reads Yangqing Jia's profile and goes on to Caffe, the Caffe paper and Google; every
 * page is written to docs/screenshots, and no page may log an error or lose a request.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
// The README shows the embedded database's run; the PostgreSQL run, alongside it, keeps its own.
const screenshots =
  process.env.CITEGRAPH_TEST_DB === 'postgres'
    ? join(tmpdir(), `citegraph-e2e-screenshots-${process.pid}`)
    : join(root, 'docs/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP = 120_000;

let started: StartedServer;
let origin = '';
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** What the API says, for comparing the drawing with the data it draws. */
async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/**
 * Polls until the page shows what the assertion expects. vitest's own default (one second) is a
 * guess about the machine; the page's actions wait up to 30 s, and so does this, so a busy CI
 * machine that answers the first query slowly still passes while a page that never draws fails.
 */
function settle<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: 30_000, interval: 100 });
}

/** The page from its top, as a visitor first sees it. */
async function shoot(name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/dashboard/index.html'))) {
    throw new Error('The dashboard is not built: run npm run build (npm test builds it first).');
  }
  started = await startServer({ HOST: '127.0.0.1' });
  origin = `http://127.0.0.1:${started.port}`;
  await mkdir(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed request ${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
      problems.push(`request to another host: ${request.url()}`);
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await started?.stop();
});

describe('the dashboard in Chromium', () => {
  it(
    'opens at / with the most cited works and the projects',
    async () => {
      await page.goto(`${origin}/`);
      await settle(() => page.getByRole('heading', { name: 'Most cited works' }).isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: 'Caffe', exact: true }).count()).toBe(1);
      await shoot('home');
    },
    STEP,
  );

  it(
    'searches from the header with the keyboard alone',
    async () => {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('header-search');
      await page.keyboard.type('Jia');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${origin}/search?q=Jia`);
      const jia = page.getByRole('link', { name: 'Yangqing Jia', exact: true });
      await jia.waitFor();
      await shoot('search');
    },
    STEP,
  );

  it(
    "shows Yangqing Jia's profile: figures, GoogLeNet first, and the charts drawn from the API's data",
    async () => {
      await page.getByRole('link', { name: 'Yangqing Jia', exact: true }).click();
      await page.waitForURL(/\/person\/[^/]+$/);
      await page.getByRole('heading', { name: 'Yangqing Jia' }).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      const truth = await api<{
        person: { metrics: { citationCount: number; hIndex: number } };
        works: { citationsByYear: { year: number }[] };
      }>(
        `query ($id: ID!) {
          person(id: $id) { metrics { citationCount hIndex } }
          works(filter: { authorId: $id }, first: 0) { citationsByYear { year } }
        }`,
        { id },
      );
      expect(await page.locator('[data-figure="Citations all"]').textContent()).toBe(
        truth.person.metrics.citationCount.toLocaleString('en'),
      );
      expect(await page.locator('[data-figure="h-index all"]').textContent()).toBe(String(truth.person.metrics.hIndex));
      const topWorks = page.getByTestId('top-works').locator('tbody tr');
      expect(await topWorks.first().getByRole('link').textContent()).toBe('Going deeper with convolutions');

      // One bar per year of the series, each a drawn path.
      const bars = page.getByTestId('citations-per-year').locator('.recharts-bar-rectangle');
      await settle(() => bars.count()).toBe(truth.works.citationsByYear.length);
      expect(truth.works.citationsByYear.length).toBeGreaterThan(5);
      const tallest = await page
        .getByTestId('citations-per-year')
        .locator('.recharts-bar-rectangle path')
        .evaluateAll((paths) => Math.max(...paths.map((path) => (path as SVGPathElement).getBBox().height)));
      expect(tallest).toBeGreaterThan(50);

      // The h-index, its lower and its upper bound.
      await settle(() => page.getByTestId('h-index-by-year').locator('.recharts-line').count()).toBe(3);

      // One lane per framework, in the order he joined them.
      const lanes = page.getByTestId('involvement-lanes').locator('[data-lane]');
      expect(await lanes.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-lane')))).toEqual([
        'Caffe',
        'TensorFlow',
        'Caffe2',
        'ONNX',
        'PyTorch',
      ]);
      const caffe = page.getByTestId('involvement-lanes').locator('[data-lane="Caffe"]');
      expect(await caffe.locator('[data-interval]').count()).toBeGreaterThanOrEqual(1);
      // Commit intensity: one cell per month with commits, as the API gives them.
      const months = await api<{ person: { commitsByMonth: { project: { name: string } }[] } }>(
        'query ($id: ID!) { person(id: $id) { commitsByMonth { project { name } } } }',
        { id },
      );
      const caffeMonths = months.person.commitsByMonth.filter((row) => row.project.name === 'Caffe').length;
      expect(caffeMonths).toBeGreaterThan(1);
      expect(await caffe.locator('[data-intensity]').count()).toBe(caffeMonths);
      const width = await caffe
        .locator('[data-interval]')
        .first()
        .evaluate((node) => (node as SVGRectElement).getBBox().width);
      expect(width).toBeGreaterThan(20);
      const affiliations = page.getByTestId('affiliation-lanes').locator('[data-lane]');
      expect(await affiliations.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-lane')))).toEqual([
        'Google',
        'Facebook',
      ]);
      await shoot('person');
      await page.getByTestId('involvement').screenshot({ path: join(screenshots, 'person-involvement.png') });
    },
    STEP,
  );

  it(
    'fits a phone screen without sideways scrolling',
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('involvement-lanes').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shoot('person-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    STEP,
  );

  it(
    'opens Caffe from his involvement lanes: contributors, activity and the comparison',
    async () => {
      await page.getByTestId('involvement-lanes').getByRole('link', { name: 'Caffe', exact: true }).click();
      await page.waitForURL(/\/project\/[^/]+$/);
      await page.getByRole('heading', { name: 'Caffe', exact: true }).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      const truth = await api<{
        project: { impactTimeline: { years: unknown[] }; contributors: { nodes: { person: { name: string } }[] } };
      }>(
        `query ($id: ID!) {
          project(id: $id) { impactTimeline { years { year } } contributors(first: 25) { nodes { person { name } } } }
        }`,
        { id },
      );
      const commitBars = page.getByTestId('commits-per-year').locator('.recharts-bar-rectangle');
      await settle(() => commitBars.count()).toBe(truth.project.impactTimeline.years.length);
      const lanes = page.getByTestId('contributor-lanes').locator('[data-lane]');
      expect(await lanes.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-lane')))).toEqual(
        truth.project.contributors.nodes.map((node) => node.person.name),
      );
      expect(await lanes.first().getAttribute('data-lane')).toBe('Yangqing Jia');
      const comparison = page.getByTestId('comparison');
      await settle(() => comparison.locator('.recharts-line').count()).toBeGreaterThanOrEqual(3);
      expect(await comparison.getByRole('link', { name: 'Caffe2', exact: true }).count()).toBe(1);
      await shoot('project');

      await page.getByRole('button', { name: 'Next page' }).click();
      await page.waitForURL(/after=/);
      await settle(() => lanes.first().getAttribute('data-lane')).not.toBe('Yangqing Jia');
    },
    STEP,
  );

  it(
    'opens the Caffe paper: authors, count sources, citing works and exports',
    async () => {
      await page
        .getByTestId('project-works')
        .getByRole('link', { name: 'Caffe - Convolutional Architecture for Fast Feature Embedding' })
        .click();
      await page.waitForURL(/\/work\/[^/]+$/);
      await page
        .getByRole('heading', { name: 'Caffe - Convolutional Architecture for Fast Feature Embedding' })
        .waitFor();
      expect(await page.getByRole('link', { name: 'Yangqing Jia', exact: true }).count()).toBeGreaterThanOrEqual(1);
      await settle(() => page.getByTestId('citing-works').locator('li').count()).toBe(10);
      await settle(() => page.getByTestId('co-cited').locator('li').count()).toBeGreaterThan(0);
      await settle(() => page.getByTestId('export-text').textContent()).toContain('@inproceedings{');
      await page.getByTestId('exports').getByText('RIS', { exact: true }).click();
      await page.waitForURL(/export=ris/);
      // The format is fetched anew; the previous text stays on screen until it arrives.
      await settle(() => page.getByTestId('export-text').textContent()).toMatch(/^TY {2}- /);
      await shoot('work');

      const first = await page.getByTestId('citing-works').locator('li a').first().textContent();
      await page.getByTestId('citing-works').getByRole('button', { name: 'Next page' }).click();
      await page.waitForURL(/citedAfter=/);
      await settle(() => page.getByTestId('citing-works').locator('li a').first().textContent()).not.toBe(first);
    },
    STEP,
  );

  it(
    'opens Google from his affiliations: its people over time and citations per year',
    async () => {
      const jia = await api<{ person: { id: string } }>('{ person(name: "Yangqing Jia") { id } }');
      await page.goto(`${origin}/person/${encodeURIComponent(jia.person.id)}`);
      await page.getByTestId('affiliation-lanes').getByRole('link', { name: 'Google', exact: true }).click();
      await page.waitForURL(/\/organization\/[^/]+$/);
      await page.getByRole('heading', { name: 'Google', exact: true }).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      const truth = await api<{ organization: { citationsByYear: unknown[] } }>(
        'query ($id: ID!) { organization(id: $id) { citationsByYear { year } } }',
        { id },
      );
      const bars = page.getByTestId('organization-citations').locator('.recharts-bar-rectangle');
      await settle(() => bars.count()).toBe(truth.organization.citationsByYear.length);
      expect(
        await page
          .getByTestId('people-lanes')
          .locator('[data-lane]')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-lane'))),
      ).toContain('Yangqing Jia');
      await shoot('organization');
    },
    STEP,
  );

  it(
    'says so when an address names nothing, or names it wrongly',
    async () => {
      const nobody = Buffer.from('Person:99999999').toString('base64url');
      await page.goto(`${origin}/person/${nobody}`);
      await page.getByText('No person has this id').waitFor();
      await page.goto(`${origin}/work/not-an-id`);
      await page.getByText('The API could not answer').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/id/i);
    },
    STEP,
  );

  it(
    'leaves the API where it was',
    async () => {
      const answer = await api<{ person: { name: string } }>('{ person(name: "Yangqing Jia") { name } }');
      expect(answer.person.name).toBe('Yangqing Jia');
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      const missing = await fetch(`${origin}/person/not-an-id`);
      expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    },
    STEP,
  );

  it('logged no browser error and lost no request on any page', () => {
    expect(problems).toEqual([]);
  });
});
