import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../src/operations/audit.js';

const report = (vulnerabilities: Record<string, { severity: string; via: unknown[] }>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 0, total: 1 } },
  });

describe('judgeAudit', () => {
  it('passes a report with only moderate advisories', () => {
    const verdict = judgeAudit(report({ foo: { severity: 'moderate', via: [] } }), false);
    expect(verdict.exitCode).toBe(0);
  });

  it('fails a report with a high or critical advisory and names the package', () => {
    const verdict = judgeAudit(report({ handlebars: { severity: 'critical', via: [] } }), false);
    expect(verdict.exitCode).toBe(1);
    expect(verdict.lines.join('\n')).toContain('critical: handlebars');
  });

  it('warns, and passes, when the registry refuses the advisory endpoint', () => {
    const refusal = JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405, error: { summary: '' } });
    const verdict = judgeAudit(refusal, false);
    expect(verdict.exitCode).toBe(0);
    expect(verdict.lines[0]).toMatch(/^warning: npm audit did not run: .*405/);
  });

  it('fails a refusal when AUDIT_REQUIRED is set', () => {
    const refusal = JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405 });
    expect(judgeAudit(refusal, true).exitCode).toBe(1);
  });

  it('fails on output that is not JSON or not an audit answer', () => {
    expect(judgeAudit('npm ERR! something', false).exitCode).toBe(1);
    expect(judgeAudit('{"hello":1}', false).exitCode).toBe(1);
  });
});
