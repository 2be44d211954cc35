/** Times as the lab reads them: ISO-like, in the browser's time zone, to the minute; ages ("5 min ago"). */
const pad = (value: number) => String(value).padStart(2, '0');

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Calendar dates (YYYY-MM-DD) are shown as they are: they carry no time zone. */
export function formatDate(date: string | null | undefined): string {
  return date || '—';
}

/** How long ago a time was, coarsely ("just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"). */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
