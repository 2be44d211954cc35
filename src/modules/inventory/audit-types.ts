/** The inventory's audit entity types. The inventory is lab-wide, so every signed-in user may read their history. */
export const inventoryAuditTypes = ['item', 'item_type', 'item_file'] as const;
