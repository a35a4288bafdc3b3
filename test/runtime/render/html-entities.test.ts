import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from '../../../src/runtime/render/html-entities.js';

describe('decodeHtmlEntities', () => {
  it('reverses the escaping Cognito applies to temporary passwords', () => {
    expect(decodeHtmlEntities('a&lt;b&gt;c&amp;d&quot;e&#39;f&#x27;g&apos;')).toBe(`a<b>c&d"e'f'g'`);
  });

  it('leaves unknown or out-of-range references alone', () => {
    expect(decodeHtmlEntities('&nbsp;&#0;&#x110000;&foo;')).toBe('&nbsp;&#0;&#x110000;&foo;');
    // A lone surrogate would be unprintable: the reference stays as written.
    expect(decodeHtmlEntities('x&#xD800;y')).toBe('x&#xD800;y');
  });
});
