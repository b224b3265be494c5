import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './kit.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

interface Month {
  project: { slug: string };
  month: string;
  commits: number;
  linesAdded: number;
}
interface Year {
  year: number;
  project: { slug: string };
  commits: number | null;
}

const jia = `query ($from: Int, $to: Int) {
  person(name: "Yangqing Jia") {
    commitsByMonth(from: $from, to: $to) { project { slug } month commits linesAdded }
    frameworkInvolvement(from: $from, to: $to) { year project { slug } commits }
  }
}`;

async function jiaMonths(variables: object = {}): Promise<{ months: Month[]; years: Year[] }> {
  const { body } = await app.post({ query: jia, variables });
  expect(body.errors).toBeUndefined();
  return { months: body.data.person.commitsByMonth, years: body.data.person.frameworkInvolvement };
}

describe("a person's commits by month", () => {
  it('sum, per project and year, to the commits of frameworkInvolvement', async () => {
    const { months, years } = await jiaMonths();
    expect(months.length).toBeGreaterThan(12);
    const sums = new Map<string, number>();
    for (const row of months) {
      expect(row.month).toMatch(/^\d{4}-\d{2}-01$/);
      expect(row.commits).toBeGreaterThan(0);
      const key = `${row.project.slug} ${row.month.slice(0, 4)}`;
      sums.set(key, (sums.get(key) ?? 0) + row.commits);
    }
    const yearly = years.filter((row) => (row.commits ?? 0) > 0);
    expect(yearly.length).toBeGreaterThan(0);
    expect(new Map(yearly.map((row) => [`${row.project.slug} ${row.year}`, row.commits]))).toEqual(sums);
    // By project, then month.
    const order = months.map((row) => `${row.project.slug} ${row.month}`);
    const projects = [...new Set(months.map((row) => row.project.slug))];
    expect(order).toEqual(
      [...order].sort(
        (a, b) =>
          projects.indexOf(a.split(' ')[0] as string) - projects.indexOf(b.split(' ')[0] as string) ||
          a.localeCompare(b),
      ),
    );
  });

  it('keep to the years asked for', async () => {
    const { months: all } = await jiaMonths();
    const year = Number(all[0]?.month.slice(0, 4));
    const { months } = await jiaMonths({ from: year, to: year });
    expect(months.length).toBeGreaterThan(0);
    expect(months).toEqual(all.filter((row) => row.month.startsWith(`${year}-`)));
  });

  it("take the same statements for a page of a project's contributors whatever its size", async () => {
    const query = `query ($first: Int) {
      project(slug: "caffe") { contributors(first: $first) { nodes { person { commitsByMonth { project { name } commits } } } } }
    }`;
    const rows = (body: {
      data: { project: { contributors: { nodes: { person: { commitsByMonth: unknown[] } }[] } } };
    }) => body.data.project.contributors.nodes.flatMap((node) => node.person.commitsByMonth).length;
    const small = await app.post({ query, variables: { first: 3 } });
    const statements = app.statements();
    const large = await app.post({ query, variables: { first: 40 } });
    expect(large.body.errors).toBeUndefined();
    expect(rows(large.body)).toBeGreaterThan(rows(small.body));
    expect(app.statements()).toBe(statements);
  });
});
