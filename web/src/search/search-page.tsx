/**
 * The results of a search: the query, and its kind and type filters, live in the address
 * (`/search?q=plasmid&kind=item&type=…`), so a result list can be shared, reloaded and gone back to. Facets
 * count what matched by kind and by type and filter with the API's `kind` and `type` parameters; each result
 * shows its kind, type, human id, where it is stored and a snippet with the query's words highlighted; a
 * query that finds little offers the server's spelling correction ("Did you mean …?"). Hidden physical items
 * are left out unless asked for (`hidden=true`).
 */
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Flex,
  Group,
  NavLink,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../layout/error-alert';
import { LoadMoreButton } from '../layout/load-more-button';
import { PageLoader } from '../layout/page-states';
import { HighlightedSnippet } from './highlighted-snippet';
import { useSearchResults } from './search-queries';
import { kindLabels, pageOf, resultsPageOf } from './search-targets';
import type { SearchFilter, SearchKind, SearchResult, SearchResults } from './search-types';

function kindOf(value: string | null): SearchKind | undefined {
  return value !== null && Object.hasOwn(kindLabels, value) ? (value as SearchKind) : undefined;
}

export function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const kind = kindOf(params.get('kind'));
  const type = params.get('type') || undefined;
  const hidden = params.get('hidden') === 'true';
  const filter: SearchFilter = { q, ...(kind && { kind }), ...(type && { type }), ...(hidden && { hidden }) };
  const search = useSearchResults(filter);
  const pages = search.data?.pages ?? [];
  const first = pages[0];
  const results = pages.flatMap((page) => page.results);

  if (q === '') {
    return (
      <Stack>
        <Title order={2}>Search</Title>
        <Text c="dimmed">Type in the search box above (press / to get there) and press Enter.</Text>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2}>Search results for “{q}”</Title>
      <ErrorAlert error={search.error} />
      {search.isPending ? (
        <PageLoader />
      ) : first ? (
        <Flex
          direction={{ base: 'column', sm: 'row' }}
          align={{ base: 'stretch', sm: 'flex-start' }}
          gap="lg"
        >
          <Facets answer={first} filter={filter} />
          <Stack flex={1} miw={0} gap="sm">
            <DidYouMean answer={first} filter={filter} />
            <Text size="sm" c="dimmed" data-testid="search-total">
              {first.total === 0
                ? `Nothing matches.${q.includes('*') ? '' : ' Words match whole: add * to match their beginning (amp*).'}`
                : `${first.totalIsExact ? '' : 'More than '}${first.total} ${first.total === 1 ? 'match' : 'matches'}`}
            </Text>
            {results.map((result) => (
              <ResultCard key={`${result.kind}:${result.id}`} result={result} />
            ))}
            <LoadMoreButton query={search} />
          </Stack>
        </Flex>
      ) : null}
    </Stack>
  );
}

function Facets({ answer, filter }: { answer: SearchResults; filter: SearchFilter }) {
  const navigate = useNavigate();
  const { kinds, types } = answer.facets;
  const filtered = filter.kind !== undefined || filter.type !== undefined;
  // A facet keeps the choice of hidden items; the switch keeps the facet.
  const hidden = filter.hidden === true;
  return (
    <Card
      withBorder
      padding="xs"
      w={{ base: '100%', sm: 240 }}
      style={{ flexShrink: 0 }}
      data-testid="search-facets"
    >
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
        Kind
      </Text>
      <NavLink
        component={Link}
        to={resultsPageOf({ q: filter.q, hidden })}
        label="Everything"
        active={!filtered}
      />
      {kinds.map((facet) => (
        <NavLink
          key={facet.kind}
          component={Link}
          to={resultsPageOf({ q: filter.q, kind: facet.kind, hidden })}
          label={kindLabels[facet.kind]}
          rightSection={<FacetCount count={facet.count} />}
          active={filter.kind === facet.kind && filter.type === undefined}
          data-testid={`facet-kind-${facet.kind}`}
        />
      ))}
      {types.length > 0 && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="sm" mb={4}>
            Type
          </Text>
          {types.map((facet) => (
            <NavLink
              key={`${facet.kind}:${facet.id}`}
              component={Link}
              to={resultsPageOf({ q: filter.q, kind: facet.kind, type: facet.id, hidden })}
              label={facet.name}
              description={kinds.length > 1 ? kindLabels[facet.kind] : undefined}
              rightSection={<FacetCount count={facet.count} />}
              active={filter.type === facet.id && filter.kind === facet.kind}
              data-testid="facet-type"
            />
          ))}
        </>
      )}
      <Switch
        label="Hidden items too"
        size="xs"
        px="sm"
        mt="sm"
        mb={4}
        checked={hidden}
        onChange={(event) =>
          void navigate(
            resultsPageOf({
              q: filter.q,
              ...(filter.kind && { kind: filter.kind }),
              ...(filter.type && { type: filter.type }),
              hidden: event.currentTarget.checked,
            }),
          )
        }
      />
      {kinds.some((facet) => facet.kind === 'item' || facet.kind === 'sample') && (
        <Button
          variant="subtle"
          size="xs"
          mt="xs"
          fullWidth
          component="a"
          href={sequencesOf(filter)}
          download
          data-testid="search-fasta"
        >
          Sequences as FASTA
        </Button>
      )}
    </Card>
  );
}

/** The FASTA export of the items this search finds (the kind facet becomes a `kind:` keyword). */
function sequencesOf(filter: SearchFilter): string {
  const params = new URLSearchParams({ q: filter.kind ? `${filter.q} kind:${filter.kind}` : filter.q });
  if (filter.type) params.set('type', filter.type);
  if (filter.hidden) params.set('hidden', 'true');
  return `/api/search/items.fasta?${params.toString()}`;
}

function FacetCount({ count }: { count: number }) {
  return (
    <Badge size="sm" variant="light" color="gray">
      {count}
    </Badge>
  );
}

function DidYouMean({ answer, filter }: { answer: SearchResults; filter: SearchFilter }) {
  const suggestion = answer.suggestions[0];
  if (!suggestion || suggestion.query === filter.q) return null;
  return (
    <Text size="md" data-testid="did-you-mean">
      Did you mean{' '}
      <Anchor component={Link} to={resultsPageOf({ q: suggestion.query })} fw={600} fs="italic">
        {suggestion.query}
      </Anchor>
      ?
    </Text>
  );
}

function ResultCard({ result }: { result: SearchResult }) {
  const page = pageOf(result.kind, result.id);
  return (
    <Card withBorder padding="sm" data-testid="search-result">
      <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start">
        <Stack gap={2} miw={0}>
          {page === null ? (
            <Text fw={600}>{result.title}</Text>
          ) : (
            <Anchor component={Link} to={page} fw={600}>
              {result.title}
            </Anchor>
          )}
          {result.location && result.location.length > 0 && <LocationPath steps={result.location} />}
        </Stack>
        <Group gap={6} wrap="nowrap">
          {result.humanId && result.humanId !== result.title && (
            <Text size="xs" c="dimmed" ff="monospace">
              {result.humanId}
            </Text>
          )}
          {result.status && (
            <Badge size="sm" variant="outline" color="gray">
              {result.status}
            </Badge>
          )}
          {result.type && (
            <Badge size="sm" variant="light">
              {result.type.name}
            </Badge>
          )}
          <Badge size="sm" variant="light" color="gray">
            {kindLabels[result.kind]}
          </Badge>
        </Group>
      </Group>
      <HighlightedSnippet segments={result.snippet} />
    </Card>
  );
}

/** Where a physical is, outermost first; a step the user may not see has no link. */
function LocationPath({ steps }: { steps: NonNullable<SearchResult['location']> }) {
  return (
    <Breadcrumbs separator="›" separatorMargin={4} data-testid="search-location">
      {steps.map((step, index) =>
        step.id === null ? (
          <Text key={index} size="xs" c="dimmed">
            {step.name}
          </Text>
        ) : (
          <Anchor key={step.id} component={Link} to={pageOf('item', step.id) ?? '/inventory'} size="xs">
            {step.name}
          </Anchor>
        ),
      )}
    </Breadcrumbs>
  );
}
