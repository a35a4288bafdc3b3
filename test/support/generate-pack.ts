/**
 * Global setup of `npm run test:unit`: precompiles `templates/` into
 * `generated/pack.js`, the pack the runtime embeds, so the unit tests need no
 * prior `npm run build` (and no bundles in `dist/`).
 */
import { generatePack } from '../../src/authoring/build.js';

export default function setup(): void {
  generatePack();
}
