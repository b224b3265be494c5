import { Alert, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { useTitle } from '../components/States';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <Alert color="yellow" title="No such page">
      The dashboard has no page at this address.{' '}
      <Anchor component={Link} to="/">
        Start from the overview
      </Anchor>{' '}
      or use the search box.
    </Alert>
  );
}
