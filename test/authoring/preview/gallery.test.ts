import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../../src/authoring/pack-source.js';
import {
  buildGallery,
  entriesOf,
  type Gallery,
  listCombinations,
  viewId,
} from '../../../src/authoring/preview/gallery.js';
import { IS_EXAMPLE_SET } from '../../support/template-set.js';

let gallery: Gallery;
const entry = (id: string) => {
  const found = gallery.entries.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no combination ${id}`);
  return found;
};

beforeAll(() => {
  gallery = buildGallery(loadPack('templates'));
});

describe('the gallery of shipped templates', () => {
  it('covers mode × source × channel × locale × brand', () => {
    const pack = loadPack('templates');
    // CustomMessage: 7 sources × email and SMS; CustomEmailSender: 8; CustomSMSSender: 7.
    const perTarget = 7 * 2 + 8 + 7;
    expect(gallery.entries).toHaveLength(perTarget * pack.locales.size * pack.brands.size);
    expect(new Set(gallery.entries.map((candidate) => candidate.id)).size).toBe(gallery.entries.length);
    expect(listCombinations(pack).map((combination) => combination.id)).toEqual(
      gallery.entries.map((candidate) => candidate.id),
    );
    expect(gallery.sources).toEqual([
      'SignUp',
      'ResendCode',
      'ForgotPassword',
      'UpdateUserAttribute',
      'VerifyUserAttribute',
      'AdminCreateUser',
      'Authentication',
      'AccountTakeOverNotification',
    ]);
  });

  it('passes every check on the templates folder', () => {
    expect(gallery.entries.filter((candidate) => candidate.status === 'fail')).toEqual([]);
  });

  // A team's new locale may fairly lack a brand's rewording at first: a warning, not a failure.
  it.skipIf(!IS_EXAMPLE_SET)('raises no warning on the example set', () => {
    const warnings = gallery.entries.flatMap((candidate) =>
      candidate.checks.filter((check) => check.status === 'warn').flatMap((check) => check.details),
    );
    expect(warnings).toEqual([]);
  });

  it("shows Cognito's placeholders in message mode", () => {
    const signUp = entry('message.email.SignUp.en.default');
    expect(signUp.outcome).toBe('CustomMessage returns this subject and body; Cognito puts the code in and sends it');
    expect(signUp.email?.html).toContain('{####}');
    expect(signUp.email?.html).toContain('{##Verify my email address##}');
    expect(signUp.email?.from).toBe("the pool's FROM address");
    const invitation = entry('message.sms.AdminCreateUser.en.default');
    // The sample pool signs in by address: the invitation names the phone number and still carries {username}.
    expect(invitation.sms?.text).toBe(
      'Acme: sign in with your phone number +14155550123 and the temporary password {####} (account {username})',
    );
    // Measured as delivered: the 12-character password and the address replace the placeholders.
    expect(invitation.sms?.size.units).toBe(
      'Acme: sign in with your phone number +14155550123 and the temporary password Xk7&pQ2<mN9! (account alice@example.com)'
        .length,
    );
  });

  it('fills sample values in sender mode, exactly as the senders send them', () => {
    const invitation = entry('sender.email.AdminCreateUser.ar.northwind');
    expect(invitation.outcome).toBe('CustomEmailSender sends this through SES (HTML and text parts)');
    expect(invitation.email?.from).toBe('Northwind <no-reply@northwind.example>');
    expect(invitation.email?.html).toContain('Xk7&amp;pQ2&lt;mN9!');
    expect(invitation.email?.html).toContain('alice@example.com');
    expect(invitation.email?.text).toContain('Xk7&pQ2<mN9!');
    const verify = entry('sender.email.SignUp.en.northwind');
    expect(verify.email?.text).toContain('https://app.northwind.example/verify?code=123456&username=');
    const sms = entry('sender.sms.Authentication.en.northwind');
    expect(sms.sms).toMatchObject({
      from: 'Northwind',
      text: "Northwind: 123456 is your sign-in code. Don't share it with anyone.",
    });
  });

  it('renders account take-over notices in every locale and brand, without clientMetadata', () => {
    const notice = entry('sender.email.AccountTakeOverNotification.ar.northwind');
    expect(notice.status).toBe('pass');
    expect(notice.email?.html).toContain('203.0.113.7');
    expect(notice.email?.html).toContain('lang="ar" dir="rtl"');
    expect(notice.checks.find((check) => check.name === 'placeholders')?.details).toEqual([
      'this message needs no placeholder',
    ]);
    expect(gallery.entries.some((candidate) => candidate.id.startsWith('message.email.AccountTakeOver'))).toBe(false);
  });

  it('groups a view: message mode shows email and SMS, a sender source its own channels', () => {
    const view = { mode: 'message' as const, source: 'SignUp', locale: 'ja', brand: 'default' };
    expect(viewId(view)).toBe('message.SignUp.ja.default');
    expect(entriesOf(gallery, view).map((candidate) => candidate.channel)).toEqual(['email', 'sms']);
    expect(
      entriesOf(gallery, { ...view, mode: 'sender', source: 'AccountTakeOverNotification' }).map(
        (candidate) => candidate.triggerSource,
      ),
    ).toEqual(['CustomEmailSender_AccountTakeOverNotification']);
  });

  it('records how long the whole gallery took', () => {
    expect(gallery.renderMs).toBeGreaterThan(0);
  });
});
