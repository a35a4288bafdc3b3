/**
 * What `npm run audit` (scripts/audit.ts) makes of `npm audit --omit=dev` over
 * the dependencies the functions ship: exit 1 when the report has any high or
 * critical advisory, or when npm answers with something that is neither a
 * report nor a registry refusal.
 *
 * Some registries (mirrors, proxies) answer the advisory endpoint with an HTTP
 * error such as 405: then there is no report to judge. That is printed as a
 * warning, with the status, and the run goes on; `AUDIT_REQUIRED=1` turns it into
 * a failure for a registry that is known to serve advisories.
 */

interface AuditReport {
  metadata: { vulnerabilities: Record<string, number> };
  vulnerabilities: Record<string, { severity: string; via: unknown[] }>;
}

interface RegistryRefusal {
  statusCode?: number;
  message?: string;
  error?: { summary?: string };
}

const BLOCKING = ['high', 'critical'] as const;

function isReport(value: unknown): value is AuditReport {
  if (typeof value !== 'object' || value === null) return false;
  const metadata = (value as { metadata?: unknown }).metadata;
  return typeof metadata === 'object' && metadata !== null && 'vulnerabilities' in metadata;
}

function isRefusal(value: unknown): value is RegistryRefusal {
  if (typeof value !== 'object' || value === null) return false;
  const refusal = value as RegistryRefusal;
  return typeof refusal.statusCode === 'number' || typeof refusal.error === 'object';
}

/** What an `npm audit --json` answer means for CI: the exit code and the lines to print. */
export function judgeAudit(stdout: string, required: boolean): { exitCode: 0 | 1; lines: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { exitCode: 1, lines: ['npm audit printed no JSON'] };
  }
  if (isReport(parsed)) {
    const summary = Object.entries(parsed.metadata.vulnerabilities)
      .map(([severity, count]) => `${severity} ${count}`)
      .join(', ');
    const blocking = Object.entries(parsed.vulnerabilities ?? {}).filter(([, v]) =>
      (BLOCKING as readonly string[]).includes(v.severity),
    );
    return {
      exitCode: blocking.length > 0 ? 1 : 0,
      lines: [`npm audit --omit=dev: ${summary}`, ...blocking.map(([name, v]) => `  ${v.severity}: ${name}`)],
    };
  }
  if (isRefusal(parsed)) {
    const reason = `the registry's advisory endpoint refused the audit (${parsed.message || `HTTP ${parsed.statusCode ?? 'status unknown'}`})`;
    return required
      ? { exitCode: 1, lines: [`npm audit: ${reason}; AUDIT_REQUIRED=1, so this fails.`] }
      : { exitCode: 0, lines: [`warning: npm audit did not run: ${reason}. No advisory report to judge.`] };
  }
  return { exitCode: 1, lines: [`npm audit answered with an unexpected shape: ${stdout.slice(0, 500)}`] };
}
