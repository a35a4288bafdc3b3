import { describe, expect, it } from 'vitest';
import { emailAsReceived, smsAsReceived } from '../../../src/authoring/preview/as-received.js';

describe('a CustomMessage as its reader receives it', () => {
  it('fills the code, username and link placeholders with marked samples in the text, bare in attributes', () => {
    const html = emailAsReceived(
      '<p title="code {####}">Code {####} for {username}: {##Verify my email address##}</p>',
      'signUp',
    );
    expect(html).toContain('<p title="code 123456">');
    expect(html).toContain('>123456</mark> for <mark');
    expect(html).toContain('>alice@example.com</mark>');
    expect(html).toMatch(
      /<a href="#" title="Sample: Cognito puts the real value here"[^>]*><mark[^>]*>Verify my email address<\/mark><\/a><\/p>$/,
    );
    expect(html).not.toMatch(/\{####\}|\{username\}|\{##/);
  });

  it('shows an invitation’s {####} as a temporary password, escaped', () => {
    expect(emailAsReceived('<td>{####}</td>', 'adminCreateUser')).toContain('>Xk7&amp;pQ2&lt;mN9!</mark></td>');
    expect(smsAsReceived('Acme: <b> {####}', 'authentication')).toMatch(
      /^Acme: &lt;b&gt; <mark class="sample"[^>]*>123456<\/mark>$/,
    );
  });
});
