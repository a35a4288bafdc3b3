/**
 * `npm start`: the live preview of every message at http://127.0.0.1:<port>/.
 * Usage: tsx scripts/preview.ts [templates dir]; PORT picks the port (default: a free one).
 */
import { resolve } from 'node:path';
import { startPreviewServer } from '../src/authoring/preview/server.js';

const templatesDir = resolve(process.argv[2] ?? 'templates');
const port = process.env.PORT ? Number(process.env.PORT) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT is "${process.env.PORT}"; give a port number (0–65535) or leave it unset for a free one`);
  process.exit(2);
}

async function main(): Promise<void> {
  let first = true;
  const server = await startPreviewServer({
    templatesDir,
    port,
    onRender: (state) => {
      const when = first ? 'First render' : 'Rendered again';
      first = false;
      if (state.error !== null) {
        console.error(`${when}: the templates could not be loaded:\n${state.error}`);
        return;
      }
      const gallery = state.gallery;
      if (gallery === null) return;
      const failing = gallery.entries.filter((entry) => entry.status === 'fail').length;
      console.log(
        `${when}: ${gallery.entries.length} combinations in ${Math.round(gallery.renderMs)} ms, ${failing} failing`,
      );
    },
  });
  console.log(`Preview of ${templatesDir}: ${server.url}`);
  console.log('Edit a template and save: the page reloads. Ctrl+C stops.');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
