/**
 * The template pack each handler bundle carries: `npm run build`
 * precompiles `templates/` into `generated/pack-index.js` (the index the
 * bundle embeds) and `generated/pack-files/` (one file per locale and per
 * brand, copied beside the bundle), so a container never compiles, and its
 * cold start reads only the locale and brand its first message uses
 * (lazy-pack.ts).
 */
import { index, packFiles } from '../../../generated/pack-index.js';
import { lazyPack } from './lazy-pack.js';
import type { TemplatePack } from './template-pack.js';

export const embeddedPack: TemplatePack = lazyPack(index, packFiles);
