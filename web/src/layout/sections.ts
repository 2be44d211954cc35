/**
 * The navigation of the app, one entry per page group. A module adds itself with one line; an entry without
 * a `page` is shown disabled with a "coming" badge until its module lands.
 */
import type { ComponentType } from 'react';
import { TokensPage } from '../accounts/tokens-page';
import { AnalysesSection } from '../compute/analyses-section';
import { HpcResourcesPage } from '../compute/hpc-resources-page';
import { UsersPage } from '../accounts/users-page';
import { InstrumentsSection } from '../instruments/instruments-section';
import { InventorySection } from '../inventory/inventory-section';
import { ProjectsSection } from '../projects/projects-section';
import { RecordsSection } from '../records/records-section';
import { SequenceSearchPage } from '../search/sequence-search-page';
import { TasksPage } from '../tasks/tasks-page';

export interface Section {
  readonly label: string;
  /** Where the page group lives; it owns everything under `path/`. */
  readonly path: string;
  readonly group: 'lab' | 'account' | 'admin';
  readonly page?: ComponentType;
  readonly adminOnly?: boolean;
}

export const sections: readonly Section[] = [
  { label: 'Projects', path: '/projects', group: 'lab', page: ProjectsSection },
  { label: 'Inventory', path: '/inventory', group: 'lab', page: InventorySection },
  { label: 'Instruments', path: '/instruments', group: 'lab', page: InstrumentsSection },
  { label: 'Records', path: '/records', group: 'lab', page: RecordsSection },
  { label: 'Analyses', path: '/analyses', group: 'lab', page: AnalysesSection },
  { label: 'Sequence search', path: '/sequence-search', group: 'lab', page: SequenceSearchPage },
  { label: 'API tokens', path: '/tokens', group: 'account', page: TokensPage },
  { label: 'Users', path: '/users', group: 'admin', page: UsersPage, adminOnly: true },
  { label: 'Tasks', path: '/tasks', group: 'admin', page: TasksPage, adminOnly: true },
  { label: 'HPC resources', path: '/hpc-resources', group: 'admin', page: HpcResourcesPage, adminOnly: true },
];

export const sectionGroups: Record<Section['group'], string> = {
  lab: 'Lab',
  account: 'Account',
  admin: 'Administration',
};
