/** `export` and `send-test`: every message as files for review, and one real message to a recipient you name. */
import { relative, resolve } from 'node:path';
import { exportMessages } from '../authoring/export-messages.js';
import { buildGallery } from '../authoring/preview/gallery.js';
import { sendTest } from '../operations/send-test.js';
import { type Command, stringOption } from './args.js';
import { loadTemplates } from './templates.js';

export const exportCommand: Command = {
  summary: 'Write every message (mode × source × channel × locale × brand) as files, with one JSON index.',
  usage: 'export [--out out/messages]',
  options: { out: { type: 'string' } },
  help: { out: 'the folder to write (default: ./out/messages); only a folder this command wrote is replaced' },
  run(parsed, io) {
    const { pack } = loadTemplates(parsed, io);
    const outDir = resolve(io.cwd, stringOption(parsed, 'out') ?? 'out/messages');
    const { files, messages, failing } = exportMessages(buildGallery(pack), outDir);
    const where = relative(io.cwd, outDir) || outDir;
    io.out(
      `Wrote ${messages} messages (${failing} failing) as ${files} files to ${where}/ (index: ${where}/index.json)`,
    );
    return failing === 0 ? 0 : 1;
  },
};

export const sendTestCommand: Command = {
  summary: 'Render one message with sample values and send it through SES or SNS, to the recipient you name.',
  usage: 'send-test --to ADDRESS|PHONE [--source SignUp] [--locale en] [--brand ID] [--region R]',
  options: {
    to: { type: 'string' },
    source: { type: 'string' },
    locale: { type: 'string' },
    brand: { type: 'string' },
    region: { type: 'string' },
  },
  help: {
    to: 'an email address (sent through SES) or an E.164 number (through SNS); required',
    source: 'the trigger source without its family (default: SignUp)',
    locale: 'the locale (default: the source locale)',
    brand: 'the brand (default: default, else the first)',
    region: 'the AWS region (default: $AWS_REGION); AWS_ENDPOINT_URL and your credentials are honoured',
  },
  async run(parsed, io) {
    const { pack } = loadTemplates(parsed, io);
    const result = await sendTest({
      pack,
      to: stringOption(parsed, 'to'),
      source: stringOption(parsed, 'source'),
      locale: stringOption(parsed, 'locale'),
      brand: stringOption(parsed, 'brand'),
      region: stringOption(parsed, 'region'),
    });
    const service = result.channel === 'email' ? 'SES' : 'SNS';
    io.out(
      `Sent ${result.triggerSource} (${result.locale}, ${result.brand}) to ${result.to} through ${service}: message id ${result.messageId}`,
    );
    return 0;
  },
};
