// Benchmark baseline (not shipped): template rendering the way a handler
// written from the AWS samples would do it. Every call reads the brand, the
// catalogs and the templates it needs from templates/ and compiles them with
// the full Handlebars package. The output matches the pack's for the same
// kind, locale and brand, so both deliver the same message.
const fs = require('node:fs');
const path = require('node:path');
const Handlebars = require('handlebars');

const TEMPLATES = path.join(__dirname, '..', '..', 'templates');

const KINDS = {
  SignUp: 'signUp',
  ResendCode: 'resendCode',
  ForgotPassword: 'forgotPassword',
  UpdateUserAttribute: 'updateUserAttribute',
  VerifyUserAttribute: 'verifyUserAttribute',
  AdminCreateUser: 'adminCreateUser',
  Authentication: 'authentication',
  AccountTakeOverNotification: 'accountTakeOver',
};

function kindOf(triggerSource) {
  const kind = KINDS[triggerSource.slice(triggerSource.indexOf('_') + 1)];
  if (!kind) throw new Error(`unsupported triggerSource ${triggerSource}`);
  return kind;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function flatten(value, prefix, into) {
  if (typeof value === 'string') into[prefix] = value;
  else for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

function pick(requested, dir) {
  return typeof requested === 'string' && /^[A-Za-z0-9-]+$/.test(requested) && fs.existsSync(path.join(dir, requested))
    ? requested
    : undefined;
}

/** Locale and brand from clientMetadata, then the user's locale attribute, then the defaults. */
function chooseTarget(event) {
  const metadata = event.request.clientMetadata || {};
  const locales = path.join(TEMPLATES, 'locales');
  const locale = pick(metadata.locale, locales) || pick(event.request.userAttributes.locale, locales) || 'en';
  const brandId = pick(metadata.brand, path.join(TEMPLATES, 'brands')) || 'default';
  return { locale, brandId };
}

function loadCatalog(locale, brandId) {
  const catalog = {};
  const layers = [
    path.join(TEMPLATES, 'locales', 'en', 'messages.json'),
    path.join(TEMPLATES, 'brands', brandId, 'en', 'messages.json'),
    path.join(TEMPLATES, 'locales', locale, 'messages.json'),
    path.join(TEMPLATES, 'brands', brandId, locale, 'messages.json'),
  ];
  for (const file of layers) if (fs.existsSync(file)) Object.assign(catalog, flatten(readJson(file), '', {}));
  return catalog;
}

/** The template file for `name`: brand+locale, brand, locale, then base. */
function templateSource(name, brandId, locale) {
  const candidates = [
    path.join(TEMPLATES, 'brands', brandId, locale, `${name}.hbs`),
    path.join(TEMPLATES, 'brands', brandId, `${name}.hbs`),
    path.join(TEMPLATES, 'locales', locale, `${name}.hbs`),
    path.join(TEMPLATES, 'base', `${name}.hbs`),
  ];
  for (const file of candidates) if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  throw new Error(`no template ${name}`);
}

/**
 * Compiles the templates for one message and returns a renderer. `values`:
 * code, username, link (Cognito's linkParameter), verifyUrl, signInUrl, name.
 */
function prepare(event, kind, values) {
  const { locale, brandId } = chooseTarget(event);
  const brand = readJson(path.join(TEMPLATES, 'brands', brandId, 'brand.json'));
  const catalog = loadCatalog(locale, brandId);
  const meta = readJson(path.join(TEMPLATES, 'locales', locale, 'messages.json')).meta;
  const hbs = Handlebars.create();
  for (const file of fs.readdirSync(path.join(TEMPLATES, 'base'))) {
    if (file.startsWith('_') && file.endsWith('.html.hbs')) {
      const name = file.slice(0, -'.html.hbs'.length);
      hbs.registerPartial(name.slice(1), templateSource(`${name}.html`, brandId, locale));
    }
  }
  const params = {
    product: brand.productName,
    supportEmail: brand.supportEmail,
    code: values.code,
    username: values.username,
    name: values.name,
  };
  const translate = (html) =>
    function t(key, options) {
      const all = { ...params, ...options.hash };
      const text = html ? Handlebars.escapeExpression(catalog[key]) : catalog[key];
      return new Handlebars.SafeString(
        text.replace(/\{(\w+)\}/g, (_, name) => (html ? Handlebars.escapeExpression(String(all[name])) : all[name])),
      );
    };
  const concat = (...args) => args.slice(0, -1).join('');
  const context = {
    kind,
    locale: { tag: locale, name: meta.name, dir: meta.dir, start: meta.dir === 'rtl' ? 'right' : 'left' },
    brand: {
      id: brandId,
      productName: brand.productName,
      logoUrl: brand.logoUrl,
      colors: brand.colors,
      supportUrl: brand.supportUrl,
      supportEmail: brand.supportEmail,
    },
    code: values.code,
    username: values.username,
    link: values.link ? `{##${catalog['common.verifyLinkText'].replace(/##/g, '#')}##}` : null,
    verifyUrl: values.verifyUrl,
    signInUrl: values.signInUrl,
    name: values.name,
    ato: null,
  };
  const render = (name, data, html) =>
    hbs.compile(templateSource(name, brandId, locale), { noEscape: !html })(data, {
      helpers: { t: translate(html), concat },
    });
  const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
  return {
    locale,
    brandId,
    brand,
    email() {
      const subject = oneLine(render(`${kind}.subject`, context, false));
      const content = render(`${kind}.html`, context, true);
      const html = render('layout.html', { ...context, subject, content: new Handlebars.SafeString(content) }, true);
      return { subject, html };
    },
    sms() {
      return oneLine(render(`${kind}.sms`, context, false));
    },
  };
}

/** A plain-text part for the email: tags stripped, blocks on their own lines. */
function htmlToText(html) {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, '')
    .replace(/<span style="display:none[\s\S]*?<\/span>/i, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|h1|h2|td|tr|table)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n\n');
}

module.exports = { kindOf, prepare, htmlToText };
