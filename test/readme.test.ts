import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './kit.js';

/** Every example query of the README runs on the demo data and answers without an error. */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n(query (\w+)[\s\S]*?)```/g)].map((match) => ({
  name: match[2] as string,
  query: match[1] as string,
}));

describe('the README examples', () => {
  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  for (const example of examples) {
    it(`${example.name} answers on the demo data`, async () => {
      const { status, body } = await app.post({ query: example.query });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(JSON.stringify(body.data)).not.toBe('{}');
    });
  }
});

/** The figures the README quotes, as the examples answer them. */
describe('the figures the README quotes', () => {
  const run = async (name: string) => {
    const example = examples.find((candidate) => candidate.name === name);
    expect(example).toBeDefined();
    return (await app.post({ query: example?.query })).body.data;
  };

  it('hold for Jia, the frameworks, GoogLeNet, Google and the disagreeing sources', async () => {
    const jia = await run('JiaMetrics');
    expect(jia.person.metrics).toMatchObject({ citationCount: 59472, hIndex: 5 });
    expect(jia.person.since2014).toMatchObject({
      citationCountLowerBound: 9766,
      hIndexLowerBound: 1,
      hIndexUpperBound: 5,
    });
    expect(readme).toContain('between 9,766 and 59,471');
    const frameworks = await run('FrameworksByFirstCommit');
    expect(
      frameworks.compareProjects.map((series: { project: { name: string }; peakValue: number }) => [
        series.project.name,
        series.peakValue,
      ]),
    ).toEqual([
      ['Caffe', 1842],
      ['Caffe2', 2463],
      ['ONNX', 683],
    ]);
    const googlenet = await run('CoCitedWithGoogLeNet');
    const coCited = googlenet.search.nodes[0].coCitedWith;
    expect(coCited.totalCount).toBe(153);
    expect(coCited.edges[0]).toMatchObject({
      count: 22,
      node: { title: expect.stringMatching(/^ImageNet classification/) },
    });
    const google = await run('GoogleCitationsByYear');
    expect(google.organization.metrics).toMatchObject({ worksCount: 4, citationCount: 57243 });
    expect(google.organization.citationsWithoutYear).toBe(47477);
    const set = await run('ConvolutionAndDetection2014To2016');
    expect(set.works).toMatchObject({ totalCount: 19, citationCount: 140039, metrics: { hIndex: 19 } });
    const sources = await run('SourcesDisagree');
    expect(sources.works.nodes[0].citationCountSources.slice(0, 2)).toEqual([
      { source: 'openalex', value: 14586, retrievedOn: '2025-05-16', isBasis: true },
      { source: 'semantic-scholar', value: 26054, retrievedOn: '2022-07-06', isBasis: false },
    ]);
  });
});
