/**
 * The template pack compiled into each handler bundle: `npm run build`
 * precompiles `templates/` into `generated/pack.js`, so a container only
 * wraps ready-made template functions at cold start and never compiles.
 */
import { pack } from '../../../generated/pack.js';
import type { TemplatePack } from './template-pack.js';

export const embeddedPack: TemplatePack = pack;
