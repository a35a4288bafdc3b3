/** `preview` and `check`: today's live preview and checks, on the folder given. */
import { relative } from 'node:path';
import { startPreviewServer } from '../authoring/preview/server.js';
import { checkFolder } from '../authoring/report.js';
import { type Command, stringOption } from './args.js';
import { templatesDir } from './templates.js';
import { UsageError } from './usage-error.js';

export const previewCommand: Command = {
  summary: 'Serve the live preview of every message on 127.0.0.1; it renders again when a template changes.',
  usage: 'preview [--port N]',
  options: { port: { type: 'string' } },
  help: { port: 'the port (default: $PORT, else a free one)' },
  async run(parsed, io) {
    const dir = templatesDir(parsed, io);
    const portText = stringOption(parsed, 'port') ?? process.env.PORT ?? '0';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65_535) {
      throw new UsageError(`--port is "${portText}"; give a port number (0–65535), or leave it out for a free one`);
    }
    let first = true;
    const server = await startPreviewServer({
      templatesDir: dir,
      port,
      onRender: (state) => {
        const when = first ? 'First render' : 'Rendered again';
        first = false;
        if (state.error !== null) {
          io.err(`${when}: the templates could not be loaded:\n${state.error}`);
          return;
        }
        const gallery = state.gallery;
        if (gallery === null) return;
        const failing = gallery.entries.filter((entry) => entry.status === 'fail').length;
        io.out(
          `${when}: ${gallery.entries.length} combinations in ${Math.round(gallery.renderMs)} ms, ${failing} failing`,
        );
      },
    });
    io.out(`Preview of ${relative(io.cwd, dir) || dir}: ${server.url}`);
    io.out('Edit a template and save: the page reloads. Ctrl+C stops.');
    await new Promise<void>((done) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done());
    });
    await server.close();
    return 0;
  },
};

export const checkCommand: Command = {
  summary: 'Render every combination (mode × source × channel × locale × brand) and run every check.',
  usage: 'check [--strict]',
  options: { strict: { type: 'boolean', default: false } },
  help: { strict: 'fail on warnings too (untranslated text, say)' },
  run(parsed, io) {
    const dir = templatesDir(parsed, io);
    const { text, ok } = checkFolder(dir, { strict: parsed.values.strict === true });
    io.out(`Checking ${relative(io.cwd, dir) || dir}\n`);
    io.out(text);
    return ok ? 0 : 1;
  },
};
