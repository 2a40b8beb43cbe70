const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text for XML (SVG drawn on the server): safe in element content and in quoted attributes. */
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
