import { Anchor, AppShell, Container, Group, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { Link, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Loading } from './components/States';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SearchPage } from './pages/SearchPage';

// The pages with charts and lanes load on first visit: the charting library stays out of the first
// download, which the home and search pages need alone.
const PersonPage = lazy(() => import('./pages/PersonPage').then((module) => ({ default: module.PersonPage })));
const ProjectPage = lazy(() => import('./pages/ProjectPage').then((module) => ({ default: module.ProjectPage })));
const WorkPage = lazy(() => import('./pages/WorkPage').then((module) => ({ default: module.WorkPage })));
const OrganizationPage = lazy(() =>
  import('./pages/OrganizationPage').then((module) => ({ default: module.OrganizationPage })),
);

/** The header's search box: submitting it opens /search?q=…, and it shows the query of that page. */
function HeaderSearch() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const current = location.pathname === '/search' ? (params.get('q') ?? '') : '';
  const [text, setText] = useState(current);
  useEffect(() => setText(current), [current]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = text.trim();
    if (query) navigate(`/search?q=${encodeURIComponent(query)}`);
  };
  return (
    <search style={{ flex: 1, maxWidth: 520 }}>
      <form onSubmit={submit}>
        <VisuallyHidden>
          <label htmlFor="header-search">Search people, works, projects and organizations</label>
        </VisuallyHidden>
        <TextInput
          id="header-search"
          type="search"
          name="q"
          placeholder="Search people, works, projects, organizations"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          maxLength={200}
        />
      </form>
    </search>
  );
}

export function App() {
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Container size="xl" h="100%">
          <Group h="100%" gap="md" wrap="nowrap">
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never">
              citegraph
            </Anchor>
            <HeaderSearch />
            <Anchor href="/graphql" size="sm" visibleFrom="sm">
              GraphQL API
            </Anchor>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl" px={0}>
          <Suspense fallback={<Loading what="the page" />}>
            <Routes>
              <Route path="/" element={<HomePage />} />
              <Route path="/search" element={<SearchPage />} />
              <Route path="/person/:id" element={<PersonPage />} />
              <Route path="/project/:id" element={<ProjectPage />} />
              <Route path="/work/:id" element={<WorkPage />} />
              <Route path="/organization/:id" element={<OrganizationPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
          <Text size="xs" c="dimmed" mt="xl">
            Figures from the citegraph API; each says where it comes from.
          </Text>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
