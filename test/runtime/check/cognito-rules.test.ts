import { describe, expect, it } from 'vitest';
import { checkEmail, checkSms, checkText } from '../../../src/runtime/check/cognito-rules.js';

const CODE = [{ label: 'code placeholder', value: '{####}' }];
const html = (body: string) => `<p>${body}</p>`;

describe('checkEmail', () => {
  it('accepts HTML with the code placeholder', () => {
    expect(checkEmail('Your code', html('Code: {####} <a href="https://x.example/?a=1">x</a> 🎉'), CODE)).toEqual([]);
  });

  it('rejects a body without the code placeholder', () => {
    expect(checkEmail('Your code', html('no code here'), CODE)).toEqual(['emailMessage lacks the code placeholder']);
  });

  it('rejects a zero-width character in the body', () => {
    expect(checkEmail('Subject', html('code {####}\u200b'), CODE)).toEqual([
      expect.stringContaining('emailMessage has a disallowed character U+200B at'),
    ]);
  });

  it("rejects a literal no-break space, which Java's \\s does not match", () => {
    expect(checkEmail('Subject', html('code\u00a0{####}'), CODE)[0]).toContain('U+00A0');
  });

  it('rejects control characters and soft hyphens in the subject', () => {
    expect(checkEmail('Sub\u0007ject', html('{####}'), CODE)[0]).toContain(
      'emailSubject has a disallowed character U+0007',
    );
    expect(checkEmail('Sub\u00adject', html('{####}'), CODE)[0]).toContain('U+00AD');
  });

  it('enforces the subject and body lengths', () => {
    expect(checkEmail('', html('{####}'), CODE)).toContain('emailSubject is 0 characters; Cognito accepts 1–140');
    expect(checkEmail('s'.repeat(141), html('{####}'), CODE)).toContain(
      'emailSubject is 141 characters; Cognito accepts 1–140',
    );
    expect(checkEmail('s', `{####}${'x'.repeat(19_995)}`, CODE)).toContain(
      'emailMessage is 20001 characters; Cognito accepts 6–20000',
    );
    expect(checkEmail('s', '{###}', [])).toContain('emailMessage is 5 characters; Cognito accepts 6–20000');
  });

  it('requires the username placeholder when asked', () => {
    const required = [...CODE, { label: 'username placeholder', value: '{username}' }];
    expect(checkEmail('s', html('{####}'), required)).toEqual(['emailMessage lacks the username placeholder']);
  });

  it('reports unrendered Handlebars and catalog placeholders', () => {
    expect(checkEmail('s', html('{####} {{name}}'), CODE)).toEqual([
      'emailMessage contains an unrendered placeholder "{{"',
    ]);
    expect(checkEmail('Hi {product}', html('{####}'), CODE)).toEqual([
      'emailSubject contains an unrendered placeholder "{product}"',
    ]);
  });

  it('requires the link placeholder when the pool verifies by link', () => {
    expect(checkEmail('s', html('{####} {##Verify##}'), CODE, { cognitoLink: true })).toEqual([]);
    expect(checkEmail('s', html('{####}'), CODE, { cognitoLink: true })).toEqual([
      'emailMessage lacks the link placeholder {##…##}',
    ]);
    expect(checkEmail('s', html('{####} {##Verify##}'), CODE)).toEqual([
      'emailMessage contains an unrendered placeholder "{##"',
    ]);
  });
});

describe('checkSms', () => {
  it('accepts a one-line message with the code', () => {
    expect(checkSms('Acme: {####} is your code.', CODE)).toEqual([]);
  });

  it('rejects an SMS over 140 characters', () => {
    expect(checkSms(`{####}${'x'.repeat(135)}`, CODE)).toEqual(['smsMessage is 141 characters; Cognito accepts 6–140']);
  });

  it('holds an SMS the senders publish to SNS to its 1,600 characters instead', () => {
    expect(checkSms(`{####}${'x'.repeat(135)}`, CODE, 'sns')).toEqual([]);
    expect(checkSms(`{####}${'x'.repeat(1_595)}`, CODE, 'sns')).toEqual([
      'smsMessage is 1601 characters; SNS accepts 6–1600',
    ]);
  });

  it('rejects a missing code placeholder', () => {
    expect(checkSms('Acme: here is your code', CODE)).toEqual(['smsMessage lacks the code placeholder']);
  });

  it('rejects line breaks and invisible characters', () => {
    expect(checkSms('Acme:\n{####}', CODE)[0]).toContain('U+000A');
    expect(checkSms('Acme:\u2028{####}', CODE)[0]).toContain('U+2028');
    expect(checkSms('Acme: {####}\u200d', CODE)[0]).toContain('U+200D');
  });
});

describe('checkText', () => {
  it('allows line breaks but not invisible characters in a text body', () => {
    expect(checkText('text', 'Hello\n\n123456', [{ label: 'code', value: '123456' }])).toEqual([]);
    expect(checkText('text', 'Hello\u200b 123456', [{ label: 'code', value: '123456' }])[0]).toContain('U+200B');
  });

  it('catches an empty code as missing', () => {
    expect(checkText('text', 'Your code is', [{ label: 'code', value: '' }])).toEqual(['text lacks the code']);
  });
});

describe('violations never describe a secret', () => {
  const password = [{ label: 'code', value: 'Tq7\u0007Rw9x', secret: true }];

  it('names the code, not its character or offset, when the code holds the disallowed character', () => {
    const violations = checkSms('Your temporary password is Tq7\u0007Rw9x', password, 'sns');
    expect(violations).toEqual(['smsMessage has a disallowed character in the code']);
    expect(violations.join()).not.toMatch(/U\+0007|Tq7|\bat \d/);
  });

  it("still names the template's own character and its offset", () => {
    expect(checkSms('Your\u0007 password is Tq7\u0007Rw9x', password, 'sns')).toEqual([
      'smsMessage has a disallowed character U+0007 at 4',
    ]);
    expect(checkText('text body', 'Hi\u200b Tq7\u0007Rw9x', password)).toEqual([
      'text body has a disallowed character U+200B at 2',
    ]);
  });
});

describe('bidi isolates and the WebOTP line', () => {
  const SECRET = [{ label: 'code', value: '123456', secret: true }];
  const isolated = 'رمزك \u2066123456\u2069';

  it('lets the senders send isolates (text part, SMS through SNS) and refuses them in a CustomMessage SMS', () => {
    expect(checkText('text body', isolated, SECRET)).toEqual([]);
    expect(checkSms(isolated, SECRET, 'sns')).toEqual([]);
    expect(checkSms(isolated, SECRET, 'cognito')).toEqual(['smsMessage has a disallowed character U+2066 at 5']);
  });

  it('still refuses every other invisible character in the senders', () => {
    expect(checkSms('Code 123456\u200b', SECRET, 'sns')).toEqual([
      'smsMessage has a disallowed character U+200B at 11',
    ]);
  });

  it("accepts a last line '@domain #code' through SNS only, and only with the code", () => {
    expect(checkSms('Acme: 123456 is your code\n@app.example.com #123456', SECRET, 'sns')).toEqual([]);
    expect(checkSms('Acme: 123456 is your code\n@app.example.com #654321', SECRET, 'sns')).toEqual([
      'smsMessage ends with a WebOTP line whose code is not the code',
    ]);
    expect(checkSms('Acme: 123456 is your code\n@app.example.com #123456', SECRET, 'cognito')).toEqual([
      'smsMessage has a disallowed character U+000A at 25',
    ]);
  });
});
