/**
 * The human-friendly ticket number: `<prefix>-` and the sequence zero-padded to six digits
 * (`MJ-000042`); longer sequences simply get more digits (`MJ-1000000`). The Redis create script
 * builds the same format in Lua.
 */
export function formatTicketNumber(prefix: string, seq: number): string {
  return `${prefix}-${String(seq).padStart(6, '0')}`;
}
