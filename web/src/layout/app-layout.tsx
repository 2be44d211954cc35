/** The signed-in frame: header with the search box, the user and Log out, navigation built from `sections`, the page. */
import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useCurrentUser, useIsAdmin, useLogout } from '../accounts/session';
import { HeaderSearch } from '../search/header-search';
import { CairnMark } from './cairn-mark';
import { sectionGroups, sections, type Section } from './sections';

function SectionLink({ section, onNavigate }: { section: Section; onNavigate: () => void }) {
  const { pathname } = useLocation();
  if (!section.page) {
    return (
      <NavLink
        label={section.label}
        disabled
        rightSection={
          <Badge size="xs" variant="light" color="gray">
            coming
          </Badge>
        }
      />
    );
  }
  return (
    <NavLink
      component={Link}
      to={section.path}
      label={section.label}
      active={pathname === section.path || pathname.startsWith(`${section.path}/`)}
      onClick={onNavigate}
    />
  );
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const isAdmin = useIsAdmin();
  const visible = sections.filter((section) => isAdmin || !section.adminOnly);
  const groups = Object.entries(sectionGroups) as [Section['group'], string][];
  return (
    <Stack gap="md">
      {groups.map(([group, title]) => {
        const entries = visible.filter((section) => section.group === group);
        if (entries.length === 0) return null;
        return (
          <div key={group}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
              {title}
            </Text>
            {entries.map((section) => (
              <SectionLink key={section.path} section={section} onNavigate={onNavigate} />
            ))}
          </div>
        );
      })}
      <div>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
          Developers
        </Text>
        <NavLink component="a" href="/api/docs" target="_blank" rel="noreferrer" label="API explorer" />
      </div>
    </Stack>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const user = useCurrentUser();
  const logout = useLogout();
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Link
              to="/projects"
              style={{
                display: 'flex',
                alignItems: 'center',
                gap: 8,
                color: 'inherit',
                textDecoration: 'none',
              }}
            >
              <CairnMark size={26} />
              <Title order={3} fw={700}>
                Cairn
              </Title>
            </Link>
          </Group>
          <HeaderSearch />
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" fw={500} data-testid="current-user" visibleFrom="sm">
              {user.displayName ?? user.username}
            </Text>
            {user.role !== 'user' && (
              <Badge variant="light" size="sm" visibleFrom="sm">
                {user.role}
              </Badge>
            )}
            <Button variant="default" size="xs" onClick={() => logout.mutate()} loading={logout.isPending}>
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Navigation onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
