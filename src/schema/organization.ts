import { builder } from '../builder.js';
import { AffiliationKind, AffiliationStatus } from '../generated/prisma/enums.js';
import { badInput, DatePrecisionEnum, idOf, periodEndFields } from './common.js';

export const AffiliationKindEnum = builder.enumType(AffiliationKind, { name: 'AffiliationKind' });

const AffiliationStatusEnum = builder.enumType(AffiliationStatus, {
  name: 'AffiliationStatus',
  description:
    'CONFIRMED: the source states the position. REPORTED: the source passes it on as reported and unconfirmed (e.g. a move the press reported before it was announced).',
});

export const OrganizationNode = builder.prismaNode('Organization', {
  id: { field: 'id' },
  nullable: true,
  description: 'A university, company or other organization.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    country: t.exposeString('country', { nullable: true }),
    ror: t.exposeString('ror', { nullable: true, description: 'Research Organization Registry id.' }),
    affiliations: t.relation('affiliations', {
      description: 'People affiliated with the organization, earliest start first; undated entries last.',
      query: { orderBy: [{ startDate: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] },
    }),
  }),
});

builder.prismaNode('Affiliation', {
  id: { field: 'id' },
  nullable: true,
  description:
    'A person at an organization over a period. No endDate with ended = false means "to date"; with status REPORTED that is what the source reported, not a confirmed current position.',
  fields: (t) => ({
    person: t.relation('person'),
    organization: t.relation('organization'),
    kind: t.expose('kind', { type: AffiliationKindEnum }),
    title: t.exposeString('title', { nullable: true, description: 'Position or degree.' }),
    unit: t.exposeString('unit', { nullable: true, description: 'Lab, team or department.' }),
    startDate: t.expose('startDate', { type: 'Date', nullable: true }),
    startPrecision: t.expose('startPrecision', { type: DatePrecisionEnum, nullable: true }),
    ...periodEndFields(t),
    status: t.expose('status', {
      type: AffiliationStatusEnum,
      description: 'Whether the source confirms the position (CONFIRMED) or only reports it (REPORTED).',
    }),
    source: t.exposeString('source'),
    evidence: t.exposeString('evidence'),
  }),
});

builder.queryField('organization', (t) =>
  t.prismaField({
    type: 'Organization',
    nullable: true,
    description: 'One organization by id or slug. Null when none matches.',
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if ((args.id == null) === (args.slug == null)) throw badInput('Give exactly one of id and slug.');
      if (args.id != null) {
        return ctx.prisma.organization.findUnique({ ...query, where: { id: idOf(String(args.id), 'Organization') } });
      }
      return ctx.prisma.organization.findUnique({ ...query, where: { slug: String(args.slug) } });
    },
  }),
);
