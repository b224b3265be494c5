import { builder } from '../builder.js';
import { AffiliationKind, AffiliationStatus } from '../generated/prisma/enums.js';
import { badInput, DatePrecisionEnum, idOf, periodEndFields, prismaTotalCount } from './common.js';

export const AffiliationKindEnum = builder.enumType(AffiliationKind, {
  name: 'AffiliationKind',
  description: 'What kind of position an affiliation is.',
  values: {
    EDUCATION: { description: 'Study, e.g. towards a degree or a PhD.' },
    EMPLOYMENT: { description: 'A job, including research positions and professorships.' },
    INTERNSHIP: { description: 'An internship.' },
    OTHER: { description: 'A position the source does not classify (e.g. "worked or interned").' },
  },
});

const AffiliationStatusEnum = builder.enumType(AffiliationStatus, {
  name: 'AffiliationStatus',
  description:
    'CONFIRMED: the source states the position. REPORTED: the source passes it on as reported and unconfirmed (e.g. a move the press reported before it was announced).',
  values: {
    CONFIRMED: { description: 'The source states the position.' },
    REPORTED: { description: 'The source passes the position on as reported, unconfirmed.' },
  },
});

export const OrganizationNode = builder.prismaNode('Organization', {
  id: { field: 'id' },
  nullable: true,
  description: 'A university, company or other organization.',
  fields: (t) => ({
    slug: t.exposeString('slug', {
      description: 'A short, stable, URL-safe name, unique among organizations (e.g. "uc-berkeley").',
    }),
    name: t.exposeString('name', { description: 'The name, e.g. "Google".' }),
    country: t.exposeString('country', { nullable: true, description: 'The country, where a source gives it.' }),
    ror: t.exposeString('ror', { nullable: true, description: 'Research Organization Registry id.' }),
    affiliations: t.relatedConnection(
      'affiliations',
      {
        cursor: 'id',
        description:
          "People's positions at the organization, earliest start first; undated entries last; then in the order they were recorded. A large organization has hundreds of thousands: page with first and after.",
        query: { orderBy: [{ startDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] },
        totalCount: true,
      },
      {
        name: 'OrganizationAffiliationConnection',
        description: "A page of an organization's affiliations.",
        fields: (c) => ({ totalCount: prismaTotalCount(c, "The organization's affiliations, on every page.") }),
      },
      { name: 'OrganizationAffiliationEdge', description: 'An affiliation, with its cursor.' },
    ),
  }),
});

builder.prismaNode('Affiliation', {
  id: { field: 'id' },
  nullable: true,
  description:
    'A person at an organization over a period. No endDate with ended = false means "to date"; with status REPORTED that is what the source reported, not a confirmed current position.',
  fields: (t) => ({
    person: t.relation('person', { description: 'The person affiliated.' }),
    organization: t.relation('organization', { description: 'The organization.' }),
    kind: t.expose('kind', { type: AffiliationKindEnum, description: 'Study, job, internship or other.' }),
    title: t.exposeString('title', { nullable: true, description: 'Position or degree.' }),
    unit: t.exposeString('unit', { nullable: true, description: 'Lab, team or department.' }),
    startDate: t.expose('startDate', {
      type: 'Date',
      nullable: true,
      description: 'When the period began; null when unknown.',
    }),
    startPrecision: t.expose('startPrecision', {
      type: DatePrecisionEnum,
      nullable: true,
      description: 'How precisely startDate is known; null without a startDate.',
    }),
    ...periodEndFields(t),
    status: t.expose('status', {
      type: AffiliationStatusEnum,
      description: 'Whether the source confirms the position (CONFIRMED) or only reports it (REPORTED).',
    }),
    source: t.exposeString('source', {
      description: 'The dataset or file the entry came from ("citegraph-api" when recorded through the API).',
    }),
    evidence: t.exposeString('evidence', {
      description: 'What supports the entry, in words: a statement, a quotation or where it was read.',
    }),
  }),
});

builder.queryField('organization', (t) =>
  t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'One organization by id or slug. Null when none matches.',
    args: {
      id: t.arg.id({ description: 'An Organization id. Give exactly one of id and slug.' }),
      slug: t.arg.string({ description: 'The organization\'s slug, e.g. "uc-berkeley".' }),
    },
    resolve: (query, _root, args, ctx) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id and slug.');
      if (args.id != null) {
        return ctx.prisma.organization.findUnique({ ...query, where: { id: idOf(String(args.id), 'Organization') } });
      }
      return ctx.prisma.organization.findUnique({ ...query, where: { slug: String(args.slug) } });
    },
  }),
);
