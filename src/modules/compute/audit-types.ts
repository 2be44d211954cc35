/** The compute module's lab-wide audit entity types: every signed-in user may read their history. */
export const computeAuditTypes = ['hpc_resource', 'analysis_type'] as const;
