import { CONTRIBUTIONS_COLUMNS } from '../ingest/formats/contributions.js';
import type { Catalog } from './catalog.js';
import { type Corpus, FIRST_YEAR } from './graph.js';
import { Random, shuffle } from './random.js';
import { MAIL_DOMAINS, PROJECT_NAME_ENDINGS, PROJECT_NAME_STEMS, PROJECT_OWNERS } from './vocabulary.js';

/**
 * Software projects and their monthly git activity, in the contributions CSV format. A
 * project's team is a generated work's authors and their co-authors, under the same names,
 * so the importer can link them to the people of the works file by name and shared co-authors;
 * a few contributors come from anywhere in the corpus and stay apart. Commits per person are
 * heavy-tailed: founders carry most of a project.
 */

const LAST_MONTH = 2025 * 12 + 11;
const FIRST_PROJECT_YEAR = 2006;
const LAST_PROJECT_YEAR = 2022;
const MAX_TEAM = 150;
const OUTSIDER_SHARE = 0.15;
/** Works of a team member whose co-authors join the team. */
const WORKS_PER_MEMBER = 3;

/** Some tens of projects: 8 for a few hundred works, 20 for 10,000, 40 for a million. */
function projectCount(works: number): number {
  return Math.max(8, Math.round(10 + 10 * Math.log10(works / 1_000)));
}

export interface ContributionsFile {
  projects: number;
  rows: number;
  text: string;
}

interface Row {
  name: string;
  domain: string;
  month: number;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
  filesChanged: number;
}

export function contributionsCsv(corpus: Corpus, catalog: Catalog): ContributionsFile {
  const random = new Random(corpus.seed, 'projects');
  const count = projectCount(corpus.workCount);
  const names = shuffle(
    PROJECT_NAME_STEMS.flatMap((stem) => PROJECT_NAME_ENDINGS.map((ending) => `${stem}-${ending}`)),
    random,
  );
  const works = worksByPerson(corpus);
  const lines = [[...CONTRIBUTIONS_COLUMNS, 'files_changed'].join(',')];
  for (let project = 0; project < count; project += 1) {
    const repo = `${random.pick(PROJECT_OWNERS)}/${names[project % names.length]}`;
    for (const row of projectRows(corpus, catalog, works, repo, random)) {
      const year = Math.floor(row.month / 12);
      lines.push(
        [
          repo,
          row.name,
          row.domain,
          year,
          (row.month % 12) + 1,
          row.commits,
          row.linesAdded,
          row.linesDeleted,
          row.filesChanged,
        ]
          .map((field) => csvField(String(field)))
          .join(','),
      );
    }
  }
  return { projects: count, rows: lines.length - 1, text: `${lines.join('\n')}\n` };
}

function projectRows(corpus: Corpus, catalog: Catalog, works: WorksByPerson, repo: string, random: Random): Row[] {
  const startYear = random.between(FIRST_PROJECT_YEAR, LAST_PROJECT_YEAR);
  const start = startYear * 12 + random.below(12);
  const end = random.chance(0.7) ? LAST_MONTH : Math.min(LAST_MONTH, start + random.between(24, 120));
  const team = teamOf(corpus, works, startYear, Math.min(MAX_TEAM, Math.round(random.pareto(4, 0.9))), random);
  const totalCommits = Math.max(team.length, Math.round(random.logNormal(1_200, 1.3)));
  // Shares fall off with rank like 1/rank^1.3, a little shuffled: founders first.
  const commits = splitCommits(
    totalCommits,
    team.map((_, rank) => (rank + 1) ** -1.3 * Math.exp(0.5 * random.normal())),
  );
  const owner = repo.split('/')[0];
  const rows: Row[] = [];
  team.forEach((person, rank) => {
    const institution = corpus.authors.institutionsOf(person)[0];
    const domain =
      institution !== undefined && random.chance(0.4)
        ? (catalog.institutionDomains[institution] as string)
        : random.chance(0.15)
          ? `${owner}.org`
          : random.pick(MAIL_DOMAINS);
    // Founders are there from the first month; the others join while the project runs.
    const joined = rank < 2 ? start : start + random.below(end - start + 1);
    const total = commits[rank] ?? 1;
    const span = Math.min(end - joined + 1, Math.max(1, Math.round(random.logNormal(3 + 2 * total ** 0.6, 0.5))));
    const months = activeMonths(joined, span, Math.max(1, Math.round(total ** 0.6)), random);
    const perMonth = splitCommits(
      total,
      months.map(() => -Math.log(1 - random.float())),
    );
    months.forEach((month, index) => {
      const monthCommits = perMonth[index] ?? 1;
      const linesAdded = Math.round(monthCommits * random.logNormal(60, 1.1));
      rows.push({
        name: corpus.authors.name(person),
        domain,
        month,
        commits: monthCommits,
        linesAdded,
        linesDeleted: Math.round(linesAdded * (0.1 + 0.6 * random.float())),
        filesChanged: Math.max(1, Math.round(monthCommits * random.logNormal(3, 0.8))),
      });
    });
  });
  return rows.sort((a, b) => a.month - b.month || compare(a.name, b.name));
}

/**
 * A generated work's authors, then co-authors of theirs on a few of their works, and so on,
 * plus a few people from anywhere; no two of one name (the importer would take them for one
 * person).
 */
function teamOf(corpus: Corpus, works: WorksByPerson, startYear: number, size: number, random: Random): number[] {
  const team: number[] = [];
  const names = new Set<string>();
  const add = (person: number) => {
    const name = corpus.authors.name(person);
    if (team.length >= size || names.has(name)) return;
    names.add(name);
    team.push(person);
  };
  add(corpus.authorshipAuthors[seedWork(corpus, startYear, random)] ?? 0);
  for (let member = 0; member < team.length && team.length < size; member += 1) {
    if (random.chance(OUTSIDER_SHARE))
      add(corpus.authorshipAuthors[random.below(corpus.authorshipAuthors.length)] ?? 0);
    const person = team[member] ?? 0;
    const first = works.offsets[person] ?? 0;
    const count = (works.offsets[person + 1] ?? 0) - first;
    for (let pick = 0; pick < Math.min(count, WORKS_PER_MEMBER); pick += 1) {
      const work = works.works[first + random.below(count)] ?? 0;
      for (let slot = corpus.authorshipOffsets[work] ?? 0; slot < (corpus.authorshipOffsets[work + 1] ?? 0); slot += 1)
        add(corpus.authorshipAuthors[slot] ?? 0);
    }
  }
  return team;
}

/** The works of person p: works[offsets[p] … offsets[p + 1]). */
interface WorksByPerson {
  offsets: Int32Array;
  works: Int32Array;
}

function worksByPerson(corpus: Corpus): WorksByPerson {
  const people = corpus.authors.count;
  const offsets = new Int32Array(people + 1);
  for (const person of corpus.authorshipAuthors) offsets[person + 1] = (offsets[person + 1] ?? 0) + 1;
  for (let person = 0; person < people; person += 1)
    offsets[person + 1] = (offsets[person + 1] ?? 0) + (offsets[person] ?? 0);
  const next = offsets.slice(0, people);
  const works = new Int32Array(corpus.authorshipAuthors.length);
  for (let work = 0; work < corpus.workCount; work += 1)
    for (let slot = corpus.authorshipOffsets[work] ?? 0; slot < (corpus.authorshipOffsets[work + 1] ?? 0); slot += 1) {
      const person = corpus.authorshipAuthors[slot] ?? 0;
      works[next[person] ?? 0] = work;
      next[person] = (next[person] ?? 0) + 1;
    }
  return { offsets, works };
}

/** The first authorship of a work with co-authors, published in the five years before the project. */
function seedWork(corpus: Corpus, startYear: number, random: Random): number {
  const yearIndex = (year: number) => Math.max(0, Math.min(corpus.yearStart.length - 2, year - FIRST_YEAR));
  const first = corpus.yearStart[yearIndex(startYear - 5)] ?? 0;
  const end = Math.max(first + 1, corpus.yearStart[yearIndex(startYear) + 1] ?? 0);
  let work = Math.min(first + random.below(end - first), corpus.workCount - 1);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if ((corpus.authorshipOffsets[work + 1] ?? 0) - (corpus.authorshipOffsets[work] ?? 0) > 1) break;
    work = Math.min(first + random.below(end - first), corpus.workCount - 1);
  }
  return corpus.authorshipOffsets[work] ?? 0;
}

/** `count` distinct months of the `span` months from `first`, ascending. */
function activeMonths(first: number, span: number, count: number, random: Random): number[] {
  const chosen = shuffle(
    Array.from({ length: span }, (_, offset) => first + offset),
    random,
  ).slice(0, Math.min(count, span));
  return chosen.sort((a, b) => a - b);
}

/** `total` commits in proportion to `weights`, at least one each (total is at least weights.length). */
function splitCommits(total: number, weights: number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const spare = total - weights.length;
  const split = weights.map((weight) => 1 + Math.floor((spare * weight) / weightSum));
  split[0] = (split[0] ?? 0) + total - split.reduce((sum, commits) => sum + commits, 0);
  return split;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
