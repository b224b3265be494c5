import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export type EntityKind = 'Person' | 'Work' | 'Project' | 'Organization';

const prefixes: Record<EntityKind, string> = {
  Person: '/person/',
  Work: '/work/',
  Project: '/project/',
  Organization: '/organization/',
};

/** The dashboard's address for an entity, by its Relay global id. */
export function pathOf(kind: EntityKind, id: string): string {
  return `${prefixes[kind]}${encodeURIComponent(id)}`;
}

export function EntityLink({ kind, id, children }: { kind: EntityKind; id: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={pathOf(kind, id)}>
      {children}
    </Anchor>
  );
}
