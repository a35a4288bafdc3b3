/**
 * `npm run audit`: `npm audit --omit=dev` over the dependencies the functions
 * ship; exits 1 on a high or critical advisory (src/operations/audit.ts says
 * how a registry that refuses the advisory endpoint is treated).
 */
import { spawnSync } from 'node:child_process';
import { judgeAudit } from '../src/operations/audit.js';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
const verdict = judgeAudit(run.stdout, process.env.AUDIT_REQUIRED === '1');
for (const line of verdict.lines) (verdict.exitCode === 0 ? console.log : console.error)(line);
process.exit(verdict.exitCode);
