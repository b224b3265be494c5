import { builder } from '../builder.js';
import { IdentityReason } from '../generated/prisma/enums.js';

/**
 * Identity decisions made when records from several sources were recognized as one work or
 * one person, and merges and splits made by hand (`citegraph people merge|split`).
 */

const IdentityReasonEnum = builder.enumType(IdentityReason, {
  name: 'IdentityReason',
  description:
    'Why a record was taken to be a stored work or person: an identifier (DOI, OPENALEX_ID, S2_ID, S2_CORPUS_ID, ARXIV_ID, ORCID), TITLE_YEAR (normalized title and publication year, for titles of 16 or more letters and digits), NAME_COAUTHOR (the same name and a co-author in common), NAME, NAME_VARIANT_PROJECT / NAME_VARIANT_COAUTHOR (a git-history person and a paper author with variant names, e.g. "Ross Girshick" and "Ross B. Girshick", linked by `citegraph people link` because the author wrote a work of a project the git person committed to, or a co-author of the author committed to a project with them), or a MANUAL_MERGE / MANUAL_SPLIT.',
});

builder.prismaObject('IdentityEvent', {
  description: 'One identity decision, with its reason and the record it concerned.',
  fields: (t) => ({
    eventId: t.exposeInt('id', {
      description:
        "The event's number. A NAME_VARIANT_* link is given back with `citegraph people split <person> --link <eventId>`.",
    }),
    reason: t.expose('reason', { type: IdentityReasonEnum }),
    detail: t.exposeString('detail', {
      description:
        'What was matched or moved, e.g. "semantic-scholar record 649def34… by doi 10.1145/2647868.2654889".',
    }),
    source: t.exposeString('source', { description: 'The dataset or command that made the decision.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const identityEventsField = (subject: string) =>
  ({
    description: `How records from the sources were recognized as this ${subject}, and what was merged into or split from it, oldest first.`,
    query: { orderBy: { id: 'asc' } },
  }) as const;

builder.prismaObjectField('Work', 'identityEvents', (t) => t.relation('identityEvents', identityEventsField('work')));
builder.prismaObjectField('Person', 'identityEvents', (t) =>
  t.relation('identityEvents', identityEventsField('person')),
);
