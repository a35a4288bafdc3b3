/**
 * The preview page: pickers, the email as a mail client shows it (a
 * sandboxed iframe), its text part, the SMS as a phone shows it, the checks,
 * and an overview of every combination. One renderer serves the live server
 * and the static export. Everything that comes from the templates or the
 * gallery goes through escapeHtml.
 *
 * The iframe's sandbox allows the same origin but never scripts: nothing in
 * an email runs, and the page can still size the frame to the email.
 */
import type { CheckResult, CheckStatus } from '../checks.js';
import { emailAsReceived, SAMPLE_NOTE, smsAsReceived } from './as-received.js';
import {
  CHANNELS,
  entriesOf,
  familyOf,
  type Gallery,
  PREVIEW_MODES,
  type PreviewEntry,
  type PreviewView,
} from './gallery.js';
import { escapeHtml } from './html.js';

/** What each source's message is, in words, for the headings and the source picker. */
export const SOURCE_WORDS: Readonly<Record<string, string>> = {
  SignUp: 'Sign-up code',
  ResendCode: 'Resent sign-up code',
  ForgotPassword: 'Password reset code',
  UpdateUserAttribute: 'New address confirmation code',
  VerifyUserAttribute: 'Address verification code',
  AdminCreateUser: 'Invitation',
  Authentication: 'Sign-in code',
  AccountTakeOverNotification: 'Suspicious sign-in alert',
};

function sourceWords(source: string): string {
  return SOURCE_WORDS[source] ?? source;
}

export interface PageOptions {
  /** The link to a view: `?mode=…` on the server, `<view>.html` in the export. */
  href: (view: PreviewView) => string;
  /** What the picker script fills in with `{mode}`, `{source}`, `{locale}` and `{brand}`. */
  pickerPattern: string;
  /** Whether the page listens for template changes (`events`, Server-Sent Events). */
  live: boolean;
  /** Bumped on every reload of the templates; a page with an older one reloads itself. */
  version: number;
  /** Why the templates could not be loaded, if they could not. */
  error: string | null;
  /** Set when `gallery` is the last good render rather than the current templates. */
  stale: boolean;
}

/**
 * The first view: what the user receives (sender mode, where the pack sends the message itself), the
 * first source, the source locale and the default brand (else the first).
 */
export function defaultView(gallery: Gallery): PreviewView {
  const brands = gallery.brands.map((brand) => brand.id);
  return {
    mode: 'sender',
    source: gallery.sources[0] ?? 'SignUp',
    locale: gallery.sourceLocale,
    brand: brands.includes('default') ? 'default' : (brands[0] ?? 'default'),
  };
}

/** Reads a view from query parameters; anything unknown falls back to the default, field by field. */
export function parseView(gallery: Gallery, query: URLSearchParams): PreviewView {
  const fallback = defaultView(gallery);
  const pick = (name: string, allowed: readonly string[], otherwise: string): string => {
    const value = query.get(name);
    return value !== null && allowed.includes(value) ? value : otherwise;
  };
  return {
    mode: query.get('mode') === 'message' ? 'message' : query.get('mode') === 'sender' ? 'sender' : fallback.mode,
    source: pick('source', gallery.sources, fallback.source),
    locale: pick(
      'locale',
      gallery.locales.map((locale) => locale.tag),
      fallback.locale,
    ),
    brand: pick(
      'brand',
      gallery.brands.map((brand) => brand.id),
      fallback.brand,
    ),
  };
}

const MARKS: Readonly<Record<CheckStatus, string>> = { pass: '✓', warn: '!', fail: '✗' };

/** The whole page for one view; with no gallery (templates broken at start) only the error. */
export function renderPage(gallery: Gallery | null, view: PreviewView | null, options: PageOptions): string {
  const body =
    gallery === null || view === null
      ? errorBanner(options)
      : [
          header(gallery, view, options),
          errorBanner(options),
          folderWarnings(gallery),
          `<main>${viewSections(gallery, view)}</main>`,
          overview(gallery, view, options),
        ].join('\n');
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view ? escapeHtml(`${view.mode} · ${view.source} · ${view.locale} · ${view.brand} — `) : ''}Template preview</title>
<style>${STYLE}</style>
</head>
<body data-version="${escapeHtml(options.version)}" data-live="${options.live}">
${body}
<script src="preview.js"></script>
</body>
</html>
`;
}

function header(gallery: Gallery, view: PreviewView, options: PageOptions): string {
  const failing = gallery.entries.filter((entry) => entry.status === 'fail').length;
  const warnings = gallery.entries.filter((entry) => entry.status === 'warn').length;
  const select = (name: string, label: string, choices: Array<[string, string]>, current: string) =>
    `<label>${escapeHtml(label)} <select name="${escapeHtml(name)}">${choices
      .map(
        ([value, text]) =>
          `<option value="${escapeHtml(value)}"${value === current ? ' selected' : ''}>${escapeHtml(text)}</option>`,
      )
      .join('')}</select></label>`;
  const sourceLabel = (source: string) => `${sourceWords(source)} (${source})`;
  const status = [
    `${gallery.entries.length} combinations`,
    `${failing} failing`,
    `${warnings} with warnings`,
    `rendered in ${Math.round(gallery.renderMs)} ms`,
  ];
  if (options.live) status.push('live: the page reloads when a template is saved');
  return `<header class="top">
<h1>Template preview</h1>
<form id="picker" method="get" action="" data-pattern="${escapeHtml(options.pickerPattern)}">
${select(
  'mode',
  'Mode',
  PREVIEW_MODES.map((mode) => [
    mode,
    mode === 'message' ? 'Cognito sends it (CustomMessage)' : 'The pack sends it (Custom*Sender)',
  ]),
  view.mode,
)}
${select(
  'source',
  'Source',
  gallery.sources.map((source) => [source, sourceLabel(source)]),
  view.source,
)}
${select(
  'locale',
  'Locale',
  gallery.locales.map((locale) => [locale.tag, `${locale.tag} — ${locale.name}`]),
  view.locale,
)}
${select(
  'brand',
  'Brand',
  gallery.brands.map((brand) => [brand.id, `${brand.id} — ${brand.productName}`]),
  view.brand,
)}
<noscript><button type="submit">Show</button></noscript>
</form>
<div class="toggles">
<label><input type="checkbox" id="dark-toggle"> Dark mode</label>
${view.mode === 'message' ? `<label><input type="checkbox" id="written-toggle"> Show Cognito's placeholders</label>` : ''}
</div>
<p class="status${failing > 0 ? ' has-failures' : ''}">${status.map(escapeHtml).join(' · ')}</p>
</header>`;
}

function errorBanner(options: PageOptions): string {
  if (options.error === null) return '';
  const note = options.stale
    ? 'Showing the last good render. Fix the file and save: this page reloads by itself.'
    : 'Fix the file and save: this page reloads by itself.';
  return `<div class="pack-error" role="alert"><strong>The templates could not be loaded</strong><pre>${escapeHtml(options.error)}</pre><p>${escapeHtml(note)}</p></div>`;
}

function viewSections(gallery: Gallery, view: PreviewView): string {
  const entries = entriesOf(gallery, view);
  const channels = CHANNELS;
  return channels
    .map((channel) => {
      const found = entries.find((entry) => entry.channel === channel);
      if (found) return channel === 'email' ? emailSection(found) : smsSection(found);
      const family = familyOf(view.mode, channel);
      return `<section class="message missing"><h2>${escapeHtml(`${sourceWords(view.source)} ${channel === 'email' ? 'email' : 'SMS'}`)}</h2><p class="outcome">${escapeHtml(
        `${family} has no ${view.source} source, so there is no ${channel === 'email' ? 'email' : 'SMS'} to show.`,
      )}</p></section>`;
    })
    .join('\n');
}

function sectionHeading(entry: PreviewEntry, channel: string): string {
  const label = `${sourceWords(entry.source)} ${channel}`;
  const failing = entry.checks.filter((check) => check.status === 'fail').length;
  const badge =
    entry.status === 'pass' ? 'all checks pass' : entry.status === 'warn' ? 'warnings' : `${failing} failing`;
  return `<h2>${escapeHtml(label)} <span class="source">${escapeHtml(entry.triggerSource)}</span> <span class="badge ${entry.status}">${escapeHtml(badge)}</span></h2>
<p class="outcome">${escapeHtml(entry.outcome)}</p>`;
}

function emailSection(entry: PreviewEntry): string {
  const { email } = entry;
  const preview =
    email === null
      ? ''
      : `<div class="client">
<dl class="headers"><dt>From</dt><dd>${escapeHtml(email.from)}</dd><dt>To</dt><dd>${escapeHtml(email.to)}</dd><dt>Subject</dt><dd dir="auto">${escapeHtml(email.subject)}</dd></dl>
${entry.mode === 'message' ? samplesNote() : ''}<iframe class="email-frame" title="${escapeHtml(`Email body: ${entry.id}`)}" sandbox="allow-same-origin" referrerpolicy="no-referrer" srcdoc="${escapeHtml(entry.mode === 'message' ? emailAsReceived(email.html, entry.kind) : email.html)}"${entry.mode === 'message' ? ` data-written="${escapeHtml(email.html)}"` : ''}></iframe>
</div>
<div class="text-part"><h3>Text version</h3><pre dir="auto">${escapeHtml(email.text)}</pre></div>`;
  return `<section class="message email ${entry.status}" id="${escapeHtml(entry.id)}">
${sectionHeading(entry, 'email')}
<div class="message-body">${preview}${checksPanel(entry.checks)}</div>
</section>`;
}

function smsSection(entry: PreviewEntry): string {
  const { sms } = entry;
  const phone =
    sms === null
      ? ''
      : `<div class="phone">
<div class="phone-from">${escapeHtml(sms.from)}</div>
<div class="bubble" dir="auto">${
          entry.mode === 'message'
            ? `<span class="as-received">${smsAsReceived(sms.text, entry.kind)}</span><span class="as-written">${escapeHtml(sms.text)}</span>`
            : escapeHtml(sms.text)
        }</div>
<p class="phone-meta">${escapeHtml(`${sms.size.encoding} · ${sms.size.units} units · ${sms.size.segments} of ${sms.maxSegments} segment${sms.maxSegments === 1 ? '' : 's'} · to ${sms.to}`)}</p>
</div>`;
  return `<section class="message sms ${entry.status}" id="${escapeHtml(entry.id)}">
${sectionHeading(entry, 'SMS')}
<div class="message-body">${phone}${checksPanel(entry.checks)}</div>
</section>`;
}

function samplesNote(): string {
  return `<p class="samples-note"><mark>${escapeHtml('123456')}</mark> ${escapeHtml(`${SAMPLE_NOTE}: the trigger returns Cognito's placeholders, and Cognito fills them in before it sends.`)}</p>`;
}

function checksPanel(checks: readonly CheckResult[]): string {
  const items = checks
    .map(
      (check) =>
        `<li class="check ${check.status}" data-check="${escapeHtml(check.name)}"><span class="mark" aria-label="${escapeHtml(check.status)}">${MARKS[check.status]}</span> <strong>${escapeHtml(check.title)}</strong><ul>${check.details
          .map((detail, index) => {
            const origin = check.origins?.[index];
            const from = origin && origin !== detail ? ` <span class="origin">${escapeHtml(`(${origin})`)}</span>` : '';
            return `<li dir="auto">${escapeHtml(detail)}${from}</li>`;
          })
          .join('')}</ul></li>`,
    )
    .join('');
  return `<div class="checks"><h3>Checks</h3><ul>${items}</ul></div>`;
}

/** Warnings about the folder rather than one message: untranslated strings, words served to every locale, brand files. */
function folderWarnings(gallery: Gallery): string {
  const warnings = [...gallery.translationWarnings, ...gallery.brandWarnings];
  if (warnings.length === 0) return '';
  const items = warnings.map((warning) => `<li dir="auto">${escapeHtml(warning)}</li>`).join('');
  return `<section class="folder-warnings" role="status"><h2>${escapeHtml(MARKS.warn)} Warnings about the folder</h2><ul>${items}</ul></section>`;
}

function overview(gallery: Gallery, view: PreviewView, options: PageOptions): string {
  const byId = new Map(gallery.entries.map((entry) => [entry.id, entry]));
  const columns = gallery.locales.flatMap((locale) =>
    gallery.brands.map((brand) => ({ locale: locale.tag, brand: brand.id })),
  );
  const head = `<tr><th rowspan="2">mode · channel · source</th>${gallery.locales
    .map((locale) => `<th colspan="${gallery.brands.length}">${escapeHtml(locale.tag)}</th>`)
    .join('')}</tr><tr>${columns.map((column) => `<th>${escapeHtml(column.brand)}</th>`).join('')}</tr>`;
  const rows: string[] = [];
  for (const mode of PREVIEW_MODES) {
    for (const channel of ['email', 'sms'] as const) {
      for (const source of gallery.sources) {
        const cells = columns.map(({ locale, brand }) => byId.get([mode, channel, source, locale, brand].join('.')));
        if (cells.every((cell) => cell === undefined)) continue;
        const row = cells
          .map((entry) => {
            if (entry === undefined) return '<td></td>';
            const target = { mode, source, locale: entry.locale, brand: entry.brand };
            const current =
              mode === view.mode &&
              source === view.source &&
              entry.locale === view.locale &&
              entry.brand === view.brand;
            const problems = entry.checks
              .filter((check) => check.status !== 'pass')
              .map((check) => `${check.title}: ${check.details.join('; ')}`);
            const title = problems.length > 0 ? ` title="${escapeHtml(problems.join('\n'))}"` : '';
            return `<td class="${entry.status}${current ? ' current' : ''}"><a href="${escapeHtml(`${options.href(target)}#${entry.id}`)}"${title}>${MARKS[entry.status]}</a></td>`;
          })
          .join('');
        rows.push(`<tr><th scope="row">${escapeHtml(`${mode} · ${channel} · ${source}`)}</th>${row}</tr>`);
      }
    }
  }
  return `<section class="overview"><h2>All combinations</h2><p>${escapeHtml('✓ passes, ! has a warning, ✗ fails. Hover a cell for the reasons; click it to open that message.')}</p><div class="table-wrap"><table>${head}${rows.join('\n')}</table></div></section>`;
}

/** The browser side: pickers navigate, and a live page reloads when the templates change. */
export const CLIENT_SCRIPT = `'use strict';
(() => {
  // The display switches live in the address (theme=dark, placeholders=written), so a reload or a picker keeps them.
  const query = new URLSearchParams(location.search);
  const form = document.getElementById('picker');
  if (form) {
    form.addEventListener('change', () => {
      const fields = new FormData(form);
      const target = form.dataset.pattern.replace(/\\{(\\w+)\\}/g, (_, name) => encodeURIComponent(String(fields.get(name) ?? '')));
      const keep = new URLSearchParams();
      for (const name of ['theme', 'placeholders']) if (query.has(name)) keep.set(name, query.get(name));
      const extra = keep.toString();
      location.href = extra === '' ? target : target + (target.includes('?') ? '&' : '?') + extra;
    });
  }
  const frames = [...document.querySelectorAll('iframe.email-frame')];
  for (const frame of frames) frame.dataset.received = frame.getAttribute('srcdoc') || '';
  // A client that prefers dark applies the email's prefers-color-scheme: dark rules; so does this page, whatever the browser prefers.
  const inDark = (html) => html.replace(/@media\\s*\\(\\s*prefers-color-scheme\\s*:\\s*dark\\s*\\)/gi, '@media all');
  const show = () => {
    const dark = query.get('theme') === 'dark';
    const written = query.get('placeholders') === 'written';
    document.body.classList.toggle('dark', dark);
    document.body.classList.toggle('show-written', written);
    for (const frame of frames) {
      const html = written && frame.dataset.written ? frame.dataset.written : frame.dataset.received;
      const wanted = dark ? inDark(html) : html;
      if (frame.getAttribute('srcdoc') !== wanted) frame.setAttribute('srcdoc', wanted);
    }
  };
  const toggle = (id, name, on) => {
    const box = document.getElementById(id);
    if (!box) return;
    box.checked = query.get(name) === on;
    box.addEventListener('change', () => {
      if (box.checked) query.set(name, on);
      else query.delete(name);
      history.replaceState(null, '', '?' + query.toString() + location.hash);
      show();
    });
  };
  toggle('dark-toggle', 'theme', 'dark');
  toggle('written-toggle', 'placeholders', 'written');
  show();
  // Size each email frame to its content, as a mail client shows the whole message.
  for (const frame of frames) {
    const fit = () => {
      const root = frame.contentDocument && frame.contentDocument.documentElement;
      if (root) frame.style.height = root.scrollHeight + 'px';
    };
    frame.addEventListener('load', fit);
    fit();
  }
  const body = document.body;
  if (body.dataset.live === 'true' && 'EventSource' in window) {
    const events = new EventSource('events');
    events.addEventListener('version', (event) => {
      if (event.data !== body.dataset.version) location.reload();
    });
  }
})();
`;

const STYLE = `
:root{color-scheme:light;--pass:#15803d;--warn:#b45309;--fail:#b91c1c;--line:#d1d5db;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;color:#111827}
body{margin:0;background:#f9fafb}
.top{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;padding:10px 20px;background:#fff;border-bottom:1px solid var(--line)}
.top h1{font-size:16px;margin:0}
#picker{display:flex;flex-wrap:wrap;gap:12px;min-width:0;max-width:100%}
#picker label{display:flex;gap:6px;align-items:center;min-width:0;max-width:100%}
#picker select{font:inherit;padding:3px 4px;min-width:0;max-width:100%}
.toggles{display:flex;flex-wrap:wrap;gap:4px 16px}
.toggles label{display:flex;gap:4px;align-items:center}
.as-written{display:none}.show-written .as-written{display:inline}.show-written .as-received{display:none}
.show-written .samples-note{display:none}
.samples-note{margin:0;padding:6px 12px;font-size:12px;color:#374151;background:#fefce8;border-bottom:1px solid var(--line)}
.samples-note mark,.bubble mark{background:#fef08a;color:#111827;border-radius:3px;padding:0 2px}
body.dark{color-scheme:dark;background:#0d1117;color:#e6edf3}
body.dark .top,body.dark .message,body.dark .client{background:#161b22;border-color:#30363d}
body.dark .headers,body.dark .text-part pre{background:#0d1117;border-color:#30363d}
body.dark .headers dt,body.dark .source,body.dark .outcome,body.dark .status,body.dark .check ul,body.dark .text-part h3,body.dark .checks h3{color:#9ba6b2}
body.dark .phone{background:#0d1117}body.dark .bubble{background:#30363d;color:#e6edf3}
.status{margin:0;color:#4b5563}.status.has-failures{color:var(--fail);font-weight:600}
.pack-error{margin:16px 20px;padding:12px 16px;border:2px solid var(--fail);background:#fef2f2;border-radius:6px}
.pack-error pre{white-space:pre-wrap;margin:8px 0}
main{padding:8px 20px}
.message{margin:16px 0;padding:12px 16px;background:#fff;border:1px solid var(--line);border-left:6px solid var(--pass);border-radius:6px}
.message.warn{border-left-color:var(--warn)}.message.fail{border-left-color:var(--fail)}.message.missing{border-left-color:var(--line)}
.message h2{font-size:15px;margin:0 0 4px}
.source{font-weight:400;color:#4b5563;font-family:ui-monospace,monospace}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;color:#fff;background:var(--pass)}.badge.warn{background:var(--warn)}.badge.fail{background:var(--fail)}
.outcome{margin:0 0 10px;color:#374151}
.message-body{display:grid;gap:16px;align-items:start;grid-template-columns:minmax(0,620px) minmax(260px,1fr) minmax(260px,360px)}
.message.sms .message-body{grid-template-columns:300px minmax(260px,1fr)}
@media (max-width:1100px){.message-body,.message.sms .message-body{grid-template-columns:minmax(0,1fr)}}
@media (max-width:700px){.top{position:static;padding:10px 12px}main{padding:8px 10px}.message{padding:10px}.overview{padding:8px 10px 40px}.phone{border-width:6px;border-radius:24px;padding:20px 10px}#picker label{flex:1 1 100%}#picker select{flex:1}}
.client{border:1px solid var(--line);border-radius:6px;overflow:hidden;background:#fff}
.headers{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 10px;margin:0;padding:8px 12px;background:#f3f4f6;border-bottom:1px solid var(--line)}
.headers dt{color:#6b7280}.headers dd{margin:0;overflow-wrap:anywhere}
.email-frame{display:block;width:100%;height:640px;border:0}
.text-part h3,.checks h3{font-size:13px;margin:0 0 6px;color:#4b5563}
.text-part pre{margin:0;padding:10px;max-height:640px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f4f6;border-radius:6px;font-size:12px}
.phone{padding:28px 14px;border:10px solid #1f2937;border-radius:32px;background:#fff}
.phone-from{text-align:center;font-size:12px;color:#6b7280;margin-bottom:10px}
.bubble{display:inline-block;max-width:230px;padding:8px 12px;border-radius:16px;background:#e5e7eb;white-space:pre-wrap;overflow-wrap:anywhere}
.phone-meta{font-size:11px;color:#6b7280;margin:12px 0 0}
.checks>ul{list-style:none;margin:0;padding:0}
.check{margin:0 0 8px}.check ul{margin:2px 0 0;padding-left:22px;color:#374151;overflow-wrap:anywhere}
.mark{display:inline-block;width:16px;font-weight:700}
.check.pass .mark{color:var(--pass)}.check.warn .mark{color:var(--warn)}.check.fail .mark{color:var(--fail)}
.check.fail strong{color:var(--fail)}.check .origin{color:#6b7280;font-size:12px}
.folder-warnings{margin:0 16px 12px;padding:8px 12px;border:1px solid var(--warn);border-radius:6px}.folder-warnings h2{font-size:14px;margin:0 0 4px;color:var(--warn)}.folder-warnings ul{margin:0;padding-left:20px;font-size:13px}
.overview{padding:8px 20px 40px}.overview h2{font-size:15px}
.table-wrap{overflow:auto}
.overview table{border-collapse:collapse;font-size:12px}
.overview th,.overview td{border:1px solid var(--line);padding:2px 6px;text-align:center;white-space:nowrap}
.overview th[scope=row]{text-align:left;font-weight:400;font-family:ui-monospace,monospace}
.overview td a{text-decoration:none;font-weight:700;display:block}
.overview td.pass a{color:var(--pass)}.overview td.warn{background:#fffbeb}.overview td.warn a{color:var(--warn)}
.overview td.fail{background:#fee2e2}.overview td.fail a{color:var(--fail)}
.overview td.current{outline:3px solid #2563eb;outline-offset:-3px}
`;
