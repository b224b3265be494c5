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
  values: {
    DOI: { description: 'The same DOI.' },
    OPENALEX_ID: { description: 'The same OpenAlex id.' },
    S2_ID: { description: 'The same Semantic Scholar paperId or authorId.' },
    S2_CORPUS_ID: { description: 'The same Semantic Scholar corpusId.' },
    ARXIV_ID: { description: 'The same arXiv identifier.' },
    ORCID: { description: 'The same ORCID iD.' },
    TITLE_YEAR: {
      description: 'The same normalized title and publication year, for titles of 16 or more letters and digits.',
    },
    NAME_COAUTHOR: { description: 'The same name and a co-author in common.' },
    NAME: { description: 'The same name.' },
    NAME_VARIANT_PROJECT: {
      description:
        'A git-history person and a paper author with variant names, linked because the author wrote a work of a project the git person committed to.',
    },
    NAME_VARIANT_COAUTHOR: {
      description:
        'A git-history person and a paper author with variant names, linked because a co-author of the author committed to a project with the git person.',
    },
    MANUAL_MERGE: { description: 'Two stored records merged by hand (mergePeople, `citegraph people merge`).' },
    MANUAL_SPLIT: { description: 'A person split by hand (splitPerson, `citegraph people split`).' },
  },
});

builder.prismaObject('IdentityEvent', {
  description: 'One identity decision, with its reason and the record it concerned.',
  fields: (t) => ({
    eventId: t.exposeInt('id', {
      description:
        "The event's number. A NAME_VARIANT_* link is given back with `citegraph people split <person> --link <eventId>`.",
    }),
    reason: t.expose('reason', { type: IdentityReasonEnum, description: 'Why the decision was made.' }),
    detail: t.exposeString('detail', {
      description:
        'What was matched or moved, e.g. "semantic-scholar record 649def34… by doi 10.1145/2647868.2654889".',
    }),
    source: t.exposeString('source', { description: 'The dataset or command that made the decision.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the decision was made.' }),
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
