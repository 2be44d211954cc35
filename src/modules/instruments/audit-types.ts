/** The instruments module's entity types whose history every signed-in user may read: the facility's instruments and their sessions. */
export const instrumentAuditTypes = ['instrument', 'session'] as const;
