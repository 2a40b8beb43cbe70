import { escapeXml } from './xml.js';

describe('escapeXml', () => {
  it('escapes what could end a text node or a quoted attribute', () => {
    expect(escapeXml(`Bản "Tả" <Van> & 'Séo'`)).toBe('Bản &quot;Tả&quot; &lt;Van&gt; &amp; &apos;Séo&apos;');
  });
});
