import { Alert, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">
          Loading {what}…
        </Text>
      </Stack>
    </Center>
  );
}

/** Beside a page's title while a newer answer loads; the previous one stays on screen meanwhile. */
export function Updating({ active }: { active: boolean }) {
  return active ? <Loader size="xs" role="status" aria-label="Updating" /> : null;
}

export function Failure({ error }: { error: Error }) {
  return (
    <Alert color="red" title="The API could not answer" role="alert">
      {error.message}
    </Alert>
  );
}

export function Missing({ what }: { what: string }) {
  return (
    <Alert color="yellow" title="Not found">
      No {what} has this id. It may have been merged into another record; try the search box.
    </Alert>
  );
}

/** The document title names the page, so history and tabs read well. */
export function useTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · citegraph` : 'citegraph';
  }, [title]);
}
