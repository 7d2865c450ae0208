/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  ) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on the brand colour. */
export function inkFor(brand: string): string {
  return contrastRatio(brand, '#000000') >= contrastRatio(brand, '#ffffff') ? '#000000' : '#ffffff';
}

/** Overrides the stylesheet's custom properties; the ink is chosen for contrast, in light and dark mode alike. */
export function brandStylesheet(brandColor: string | null): string {
  if (!brandColor || !/^#[0-9a-f]{6}$/.test(brandColor)) return '';
  const ink = inkFor(brandColor);
  return `:root{--brand:${brandColor};--brand-ink:${ink}}@media (prefers-color-scheme:dark){:root{--brand:${brandColor};--brand-ink:${ink}}}\n`;
}
