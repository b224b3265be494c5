import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { toBibtexFile, toCslJsonFile, toRisFile } from '../export/formats.js';
import { loadExportWorks } from '../export/works.js';
import { IdentityError, mergePeople, personLinks, splitPerson, unlinkPeople } from '../ingest/identity.js';
import {
  bibliographyJob,
  cffJob,
  contributionsJob,
  crossrefJob,
  edgesJob,
  gitJob,
  openalexJob,
  s2Job,
} from '../ingest/importers.js';
import { linkPeople } from '../ingest/links.js';
import { createKey, listKeys, revokeKey } from '../services/keys.js';
import { type Command, type Io, importCommand, runImportCommand, UsageError } from './main.js';
import { findPerson, idFrom, personWorkIds, projectWorkIds, queryWorkIds } from './selection.js';

/** Every citegraph command, in the order `citegraph --help` lists them. */

const isoDay = (value: string | boolean | undefined, name: string) => {
  if (value === undefined) return undefined;
  const valid =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!valid) throw new UsageError(`--${name} must be a date, YYYY-MM-DD`);
  return value;
};

function projectSlug(value: string | boolean | undefined): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(value))
    throw new UsageError('--project <slug> is required: lower-case letters, digits, ".", "_" or "-"');
  return value;
}

export const commands: Command[] = [
  importCommand(
    'openalex',
    'Import OpenAlex works (JSON lines, gzipped or not, or a snapshot folder)',
    'citegraph import openalex <works.jsonl | works.jsonl.gz | folder> [options]',
    `Reads OpenAlex Work objects, one per line, as the API and the snapshot give them; a folder is
read whole (e.g. a snapshot's works/updated_date=*/part_*.gz). Keeps ids, DOI, title, year,
type, venue, authors with their OpenAlex ids, ORCIDs and affiliations, cited_by_count and
counts_by_year as OpenAlex's reported counts (dated by updated_date), and referenced_works as
citation edges. A referenced work not in the input is kept as a minimal work holding its
OpenAlex id, filled in when a later import brings it.`,
    {},
    ([input]) => openalexJob(input ?? ''),
  ),
  importCommand(
    's2',
    'Import Semantic Scholar papers, and optionally their citation edges',
    'citegraph import s2 <papers.jsonl> [--citations <edges.csv>] [--retrieved-on YYYY-MM-DD] [options]',
    `Reads Semantic Scholar Graph API paper objects, one per line: paperId, corpusId, external
ids (DOI, arXiv), title, year, venue, authors with their authorIds, and citationCount as
Semantic Scholar's reported count. Paper objects carry no retrieval date: --retrieved-on
gives it (default: the file's modification day).
  --citations <file>   a CSV with citing_paper_id,cited_paper_id (paperIds or CorpusID:n),
                       imported after the papers`,
    { citations: { type: 'string' }, 'retrieved-on': { type: 'string' } },
    ([input], values) => s2Job(input ?? '', { retrievedOn: isoDay(values['retrieved-on'], 'retrieved-on') }),
    async (_positionals, values, io) =>
      typeof values.citations === 'string'
        ? runImportCommand(io, values, values.citations, () => edgesJob('s2-citations', values.citations as string))
        : 0,
  ),
  importCommand(
    'crossref',
    'Import Crossref works, and optionally their references',
    'citegraph import crossref <works.jsonl> [--references <references.csv>] [options]',
    `Reads Crossref work items (or API envelopes holding one), one per line: DOI, title, type,
dates, container title, volume, issue, pages, publisher, authors with ORCIDs and
affiliations, and is-referenced-by-count as Crossref's reported count (dated by "indexed").
  --references <file>  a CSV with citing_doi,cited_doi (extra columns are ignored),
                       imported after the works`,
    { references: { type: 'string' }, 'retrieved-on': { type: 'string' } },
    ([input], values) => crossrefJob(input ?? '', { retrievedOn: isoDay(values['retrieved-on'], 'retrieved-on') }),
    async (_positionals, values, io) =>
      typeof values.references === 'string'
        ? runImportCommand(io, values, values.references, () =>
            edgesJob('crossref-references', values.references as string),
          )
        : 0,
  ),
  importCommand(
    'bibtex',
    'Import a BibTeX bibliography (.bib)',
    'citegraph import bibtex <file.bib> [options]',
    `Reads every entry of a .bib file: title (LaTeX turned into text), authors, year and date,
type, journal or book title, volume, number, pages, publisher, DOI, arXiv id (eprint, journal
or URL) and the citation key, which exports keep. An entry that does not parse (an unbalanced
brace, say) is reported with its line and skipped; the entries around it import.`,
    {},
    ([input]) => bibliographyJob(input ?? '', 'bibtex'),
  ),
  importCommand(
    'csl',
    'Import a CSL-JSON bibliography (e.g. a Zotero export)',
    'citegraph import csl <file.json> [options]',
    `Reads a CSL-JSON array of items (or one item): title, authors, issued date, type,
container title, volume, issue, pages, publisher, DOI, URL, arXiv id and the item id as
citation key. An item that is not usable is reported with the line it starts on.`,
    {},
    ([input]) => bibliographyJob(input ?? '', 'csl'),
  ),
  importCommand(
    'cff',
    "Import a software project's CITATION.cff: the software, its authors, its preferred citation",
    'citegraph import cff <CITATION.cff> --project <slug> [options]',
    `Reads a Citation File Format 1.2 file. The project <slug> is created if missing (or given
the description and repository URL it lacks). The software becomes a work of type SOFTWARE
whose authors are the file's authors, and the preferred-citation becomes a work; both are
linked to the project, so they appear in Project.works. A file missing a required key
(cff-version, message, title, authors) is rejected with the keys it lacks.
  --project <slug>     the project's slug, e.g. caffe (required)`,
    { project: { type: 'string' } },
    ([input], values) => cffJob(input ?? '', projectSlug(values.project)),
  ),
  importCommand(
    'git',
    "Import a project's history from a git clone: monthly commits and lines per author",
    'citegraph import git <path to a clone> --project <slug> [--name <name>] [options]',
    `Reads the history of the clone's checked-out branch with git log (no merges), sums commits
and lines added and deleted per author and month (in the author's own time zone), and derives
each author's contributor period from their first and last month with commits. The project
is found by its repository URL (the clone's origin) or --project, and created if missing.
  --project <slug>     the project's slug, e.g. caffe (required)
  --name <name>        the project's display name when it is created (default: the slug)`,
    { project: { type: 'string' }, name: { type: 'string' } },
    ([input], values) =>
      gitJob(input ?? '', {
        slug: projectSlug(values.project),
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
      }),
  ),
  importCommand(
    'contributions',
    'Import monthly git activity from a CSV (repo, author, month, commits, lines)',
    'citegraph import contributions <file.csv> [options]',
    `Reads rows of repo,author_name,author_email_domain,year,month,commits,lines_added,
lines_deleted[,files_changed] (the format README.md documents), sums them per project,
author and month, and derives contributor periods like \`import git\`. The project of a row
is the stored one with the repository https://github.com/<repo>, or one made from it.`,
    {},
    ([input]) => contributionsJob(input ?? ''),
  ),
  {
    name: 'export',
    summary: 'Export works as BibTeX, CSL-JSON or RIS',
    usage:
      'citegraph export <bibtex | csl | ris> [--person <who> | --project <slug> | --query <file.graphql>] [--output <file>]',
    details: `Writes the selected works in the format, to stdout or --output (-o), then says on stderr
how many works it wrote to which file:
  --person <who>       the works a person authored; <who> is a Person id (as the API gives it,
                       or a number), an ORCID, or a name
  --project <slug>     the works linked to a project (its paper, its CITATION.cff)
  --query <file>       the works a GraphQL query returns: every Work id in its response, in order
  --variables <json>   variables for --query
With no selection, every work that has a title. Citation keys are the keys imported from
BibTeX or CSL-JSON where there are any, otherwise first author, year and first title word,
made unique within the file.`,
    options: {
      person: { type: 'string' },
      project: { type: 'string' },
      query: { type: 'string' },
      variables: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
    async run([format, ...rest], values, io) {
      if (!format || rest.length > 0 || !['bibtex', 'csl', 'ris'].includes(format))
        throw new UsageError('usage: citegraph export <bibtex | csl | ris> [options]');
      const selectors = ['person', 'project', 'query'].filter((name) => typeof values[name] === 'string');
      if (selectors.length > 1) throw new UsageError('Give at most one of --person, --project and --query.');
      const variables = parseVariables(values.variables);
      const { text, count } = await io.withDatabase(async ({ prisma }) => {
        const ids =
          typeof values.person === 'string'
            ? await personWorkIds(prisma, (await findPerson(prisma, values.person)).id)
            : typeof values.project === 'string'
              ? await projectWorkIds(prisma, values.project)
              : typeof values.query === 'string'
                ? await queryWorkIds(prisma, values.query, variables)
                : (
                    await prisma.work.findMany({
                      where: { title: { not: null } },
                      select: { id: true },
                      orderBy: { id: 'asc' },
                    })
                  ).map((work) => work.id);
        const works = await loadExportWorks(prisma, ids);
        const count = works.length;
        if (format === 'bibtex') return { text: toBibtexFile(works), count };
        if (format === 'ris') return { text: toRisFile(works), count };
        return { text: `${JSON.stringify(toCslJsonFile(works), null, 2)}\n`, count };
      });
      await write(io, values.output, text);
      if (typeof values.output === 'string')
        io.err.write(`Wrote ${count} work${count === 1 ? '' : 's'} as ${format} to ${resolve(values.output)}\n`);
      return 0;
    },
  },
  {
    name: 'people merge',
    summary: 'Merge two stored people who are one person',
    usage: 'citegraph people merge <keep> <other>',
    details: `Moves everything of <other> (authorships, affiliations, contributions, project history,
reported metrics) to <keep>, which also takes the identifiers and names it lacks, and deletes
<other>. The merge is recorded as an identity event on <keep>. <keep> and <other> are Person
ids (as the API gives them, or numbers), ORCIDs or names.`,
    options: { help: { type: 'boolean', short: 'h' } },
    async run(positionals, _values, io) {
      const [keep, other] = positionals;
      if (!keep || !other || positionals.length > 2)
        throw new UsageError('usage: citegraph people merge <keep> <other>');
      const detail = await io.withDatabase(async ({ prisma }) =>
        identity(async () =>
          mergePeople(prisma, (await findPerson(prisma, keep)).id, (await findPerson(prisma, other)).id),
        ),
      );
      io.out.write(`${detail}\n`);
      return 0;
    },
  },
  {
    name: 'people link',
    summary:
      'Link git-history people to the paper authors they are (name variants with a project or co-author in common)',
    usage: 'citegraph people link [--dry-run] [--json]',
    details: `Finds people of a git history and paper authors whose names are variants of one name (the
same family name; given names that agree, an initial agreeing with the name it starts:
"Ross Girshick" ~ "Ross B. Girshick", "S. Guadarrama" ~ "Sergio Guadarrama") and that the data
joins: the author wrote a work linked to a project the git person committed to, or a co-author
of the author committed to a project with them. Each pair is merged (as \`people merge\` does)
and recorded as an identity event (NAME_VARIANT_PROJECT or NAME_VARIANT_COAUTHOR) with the
evidence; \`citegraph people split <person> --link <event>\` gives a link back. A person who
fits several others is linked to none and listed as left apart. The demo data is loaded with
these links made.
  --dry-run   list the links without making them
  --json      print the links and the people left apart as JSON on stdout`,
    options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    async run(positionals, values, io) {
      if (positionals.length > 0) throw new UsageError('usage: citegraph people link [--dry-run] [--json]');
      const dryRun = values['dry-run'] === true;
      const result = await io.withDatabase(({ prisma }) => linkPeople(prisma, { dryRun }));
      if (values.json) {
        io.out.write(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      for (const link of result.links)
        io.out.write(`${dryRun ? 'would link' : `event ${link.eventId}`}: ${link.reason}: ${link.detail}\n`);
      for (const person of result.ambiguous)
        io.out.write(
          `left apart: ${JSON.stringify(person.name)} (person ${person.personId}) fits ${person.candidates
            .map((other) => `${JSON.stringify(other.name)} (person ${other.personId})`)
            .join(', ')}\n`,
        );
      io.err.write(
        `${result.links.length} ${dryRun ? 'links to make' : `link${result.links.length === 1 ? '' : 's'} made`}, ${result.ambiguous.length} left apart as ambiguous.\n`,
      );
      return 0;
    },
  },
  {
    name: 'people split',
    summary: 'Split works or project histories off a person who is two people, or give back a link',
    usage: 'citegraph people split <person> (--link <event> | [--works <id,id,…>] [--projects <slug,slug,…>])',
    details: `Creates a new person with the same name and moves to them the authorships of --works and
the history (monthly activity, contributions) in --projects. Recorded as identity events on
both people. Imports keep stored author lists and a project's stored contributors, so the
split survives importing the same files again.
  --works <ids>        Work ids (as the API gives them, or numbers), comma-separated
  --projects <slugs>   project slugs, comma-separated
  --link <event>       give back a link \`citegraph people link\` made (the number of its identity
                       event, which \`people link\` prints and Person.identityEvents shows as eventId):
                       the person merged in is restored with their name, identifiers, works and
                       project history, and the two are not linked again`,
    options: {
      works: { type: 'string' },
      projects: { type: 'string' },
      link: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    async run(positionals, values, io) {
      const [who] = positionals;
      if (!who || positionals.length > 1)
        throw new UsageError('usage: citegraph people split <person> (--link <event> | [--works …] [--projects …])');
      if (typeof values.link === 'string') {
        const eventId = Number(values.link);
        if (!Number.isInteger(eventId) || eventId < 1)
          throw new UsageError(`--link ${values.link} is not an event number.`);
        if (values.works !== undefined || values.projects !== undefined)
          throw new UsageError('Give either --link or --works/--projects.');
        const result = await io.withDatabase(async ({ prisma }) => {
          const person = await findPerson(prisma, who);
          return identity(() => unlinkPeople(prisma, person.id, eventId));
        });
        io.out.write(`${result.detail}\n`);
        return 0;
      }
      if (values.works === undefined && values.projects === undefined) {
        const links = await io.withDatabase(async ({ prisma }) =>
          personLinks(prisma, (await findPerson(prisma, who)).id),
        );
        throw new UsageError(
          links.length === 0
            ? 'Name the works or projects that belong to the other person.'
            : `Name the works or projects that belong to the other person, or give back one of the links:\n${links
                .map((link) => `  --link ${link.id}  ${link.reason}: ${link.detail}`)
                .join('\n')}`,
        );
      }
      const list = (value: unknown) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((item) => item.trim())
              .filter(Boolean)
          : [];
      const workIds = list(values.works).map((text) => {
        const id = idFrom(text, 'Work');
        if (id === null) throw new UsageError(`${text} is not a Work id.`);
        return id;
      });
      const result = await io.withDatabase(async ({ prisma }) => {
        const slugs = list(values.projects);
        const projects = await prisma.project.findMany({
          where: { slug: { in: slugs } },
          select: { id: true, slug: true },
        });
        const unknown = slugs.filter((slug) => !projects.some((project) => project.slug === slug));
        if (unknown.length > 0) throw new UsageError(`No project ${unknown.join(', ')}.`);
        const person = await findPerson(prisma, who);
        return identity(() =>
          splitPerson(prisma, person.id, { workIds, projectIds: projects.map((project) => project.id) }),
        );
      });
      io.out.write(`${result.detail}\n`);
      return 0;
    },
  },
  {
    name: 'keys create',
    summary: 'Create an API key (shown once)',
    usage: 'citegraph keys create --name <name> [--scope read|write|admin]',
    details: `Prints a new key for Authorization: Bearer <key>. Only its hash is stored: keep the key, it
cannot be shown again. Scopes: read (reads, where the server requires a key for them), write
(mutations too), admin (everything).
  --name <name>     who or what the key is for
  --scope <scope>   read, write (default) or admin`,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', default: 'write' },
      help: { type: 'boolean', short: 'h' },
    },
    async run(positionals, values, io) {
      const scope = String(values.scope).toUpperCase();
      if (positionals.length > 0 || typeof values.name !== 'string' || !values.name.trim()) {
        throw new UsageError('usage: citegraph keys create --name <name> [--scope read|write|admin]');
      }
      if (scope !== 'READ' && scope !== 'WRITE' && scope !== 'ADMIN') {
        throw new UsageError(`--scope must be read, write or admin, not ${values.scope}.`);
      }
      const name = values.name.trim();
      const { id, key } = await io.withDatabase(({ prisma }) => createKey(prisma, name, scope));
      io.out.write(`${key}\n`);
      io.err.write(`Key ${id} (${scope.toLowerCase()}, "${name}") created. It is shown this once: store it now.\n`);
      return 0;
    },
  },
  {
    name: 'keys list',
    summary: 'List API keys (never the keys themselves)',
    usage: 'citegraph keys list',
    details: 'Prints each key: id, scope, its first characters, name, when created, and when revoked.',
    options: { help: { type: 'boolean', short: 'h' } },
    async run(_positionals, _values, io) {
      const keys = await io.withDatabase(({ prisma }) => listKeys(prisma));
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        io.out.write(
          `${key.id}\t${key.scope.toLowerCase()}\t${key.prefix}…\t${key.name}\t${key.createdAt.toISOString()}\t${state}\n`,
        );
      }
      return 0;
    },
  },
  {
    name: 'keys revoke',
    summary: 'Revoke an API key',
    usage: 'citegraph keys revoke <id>',
    details: 'The key stops working within 30 seconds on every server.',
    options: { help: { type: 'boolean', short: 'h' } },
    async run(positionals, _values, io) {
      const id = Number(positionals[0]);
      if (positionals.length !== 1 || !Number.isInteger(id)) throw new UsageError('usage: citegraph keys revoke <id>');
      const revoked = await io.withDatabase(({ prisma }) => revokeKey(prisma, id));
      if (!revoked) {
        io.err.write(`No active key ${id}.\n`);
        return 1;
      }
      io.err.write(`Key ${id} revoked.\n`);
      return 0;
    },
  },
];

function parseVariables(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError('--variables must be a JSON object.');
  }
}

/** Identity corrections refused for a reason the user can fix are usage errors: one line, exit 2. */
async function identity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IdentityError) throw new UsageError(error.message);
    throw error;
  }
}

async function write(io: Io, output: unknown, text: string) {
  if (typeof output !== 'string') {
    io.out.write(text);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createWriteStream(output);
    stream.on('error', reject);
    stream.end(text, () => resolve());
  });
}
