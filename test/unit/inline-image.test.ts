// Inline pictures reach the webview only as a checker-made PNG or GIF data: URI: the guard
// refuses anything else (SVG above all), and the page's CSP allows images from the bundle
// folder and data: — nothing wider. Positive controls show each check sees what it refuses.

import { strict as assert } from 'node:assert';
import { check } from '../../src/protocol/guard';
import { toWebview } from '../../src/protocol/webview';
import { contentSecurityPolicy } from '../../src/extension/webviewHtml';
import { fitBox } from '../../src/webview/inlineImage';

const KEY = 'A'.repeat(64);
const image = (src: string) => ({ type: 'image', key: KEY, id: 'm1', src, width: 10, height: 10 });

describe('inline pictures: what the webview may be given', () => {
  it('accepts a PNG or GIF data: URI and a refusal with its reason', () => {
    assert.ok(check(toWebview, image('data:image/png;base64,iVBORw0KGgo=')).ok);
    assert.ok(check(toWebview, image('data:image/gif;base64,R0lGODlh')).ok);
    assert.ok(check(toWebview, { type: 'image', key: KEY, id: 'm1', width: 0, height: 0, reason: 'the image is 5000×5000' }).ok);
  });

  it('refuses SVG, other image types, URLs and anything that is not base64', () => {
    for (const src of [
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:image/jpeg;base64,/9j/4AAQ',
      'data:image/webp;base64,UklGRg==',
      'data:text/html;base64,PHNjcmlwdD4=',
      'https://example.org/a.png',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:image/png;base64,iVBOR"><script>',
      'blob:vscode-webview://x/1',
    ])
      assert.ok(!check(toWebview, image(src)).ok, src);
    assert.ok(!check(toWebview, { ...image('data:image/png;base64,AA=='), width: 5000 }).ok, 'size beyond the cap');
  });

  it('the CSP allows images from the bundle folder and data: only', () => {
    const csp = contentSecurityPolicy('https://webview.example', 'bm9uY2Vub25jZW5vbmNl');
    const img = csp.split('; ').find((d) => d.startsWith('img-src '));
    assert.equal(img, 'img-src https://webview.example data:');
    // Positive control: the same check sees a wider policy.
    const wider = 'img-src https://webview.example data: blob: https:';
    assert.notEqual(wider, img);
    assert.ok(!/\b(blob:|https:|\*)(\s|$)/.test(img!.replace('https://webview.example', '')));
    assert.ok(/\b(blob:|https:|\*)(\s|$)/.test(wider.replace('https://webview.example', '')));
  });

  it('fits pictures in a 360×280 box, keeping the aspect ratio, never enlarging', () => {
    assert.deepEqual(fitBox(100, 50), [100, 50]);
    assert.deepEqual(fitBox(4096, 4096), [280, 280]);
    assert.deepEqual(fitBox(3600, 100), [360, 10]);
    assert.deepEqual(fitBox(1, 4096), [1, 280]);
  });
});
