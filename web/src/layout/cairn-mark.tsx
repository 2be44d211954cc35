/** The Cairn mark: three stacked stones. */
export function CairnMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <ellipse cx="16" cy="26" rx="12" ry="4.5" fill="var(--mantine-color-teal-8)" />
      <ellipse cx="16" cy="17.5" rx="8.5" ry="4" fill="var(--mantine-color-teal-6)" />
      <ellipse cx="16" cy="9.5" rx="5.5" ry="3.5" fill="var(--mantine-color-teal-4)" />
    </svg>
  );
}
