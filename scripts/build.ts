/** `npm run build`: precompiles `templates/` into `generated/pack.js` and bundles the handlers into `dist/`. */
import { bundle, generatePack } from '../src/authoring/build.js';

generatePack();
bundle().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
