/** Times as the lab reads them: ISO-like, in the browser's time zone, to the minute. */
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
