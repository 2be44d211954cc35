/** Kysely table types of the projects module: projects, their members and samples (seed: Projects, ProjectUsers, Samples). */

export type ProjectStatus = 'planned' | 'active' | 'on_hold' | 'completed' | 'archived';
export type ProjectRole = 'manager' | 'member' | 'viewer';

export interface ProjectsTable {
  id: string;
  name: string;
  description: string;
  /** YYYY-MM-DD or null. */
  start_date: string | null;
  end_date: string | null;
  status: ProjectStatus;
  manager_id: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  /** Soft deletion: set when deleted, null while the project exists. */
  deleted_at: string | null;
}

export interface ProjectUsersTable {
  project_id: string;
  user_id: string;
  role: ProjectRole;
  added_at: string;
}

export type SampleStatus = 'registered' | 'received' | 'stored' | 'in_analysis' | 'consumed' | 'disposed';

/** A sample: the physical item `item_id` (its name, type, location, barcode and files) owned by a project. */
export interface SamplesTable {
  item_id: string;
  project_id: string;
  /** YYYY-MM-DD or null. */
  collection_date: string | null;
  status: SampleStatus;
  created_at: string;
  updated_at: string;
}

export interface ProjectsTables {
  projects: ProjectsTable;
  project_users: ProjectUsersTable;
  samples: SamplesTable;
}
