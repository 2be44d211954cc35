/** Kysely table types of the projects module: projects and their members (seed: Projects, ProjectUsers). */

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

export interface ProjectsTables {
  projects: ProjectsTable;
  project_users: ProjectUsersTable;
}
