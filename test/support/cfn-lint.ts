/**
 * cfn-lint, AWS's CloudFormation linter (a Python package, `pip install cfn-lint`),
 * run on templates for test/deployment/cfn-lint.test.ts. It must be on PATH:
 * CI's .ci/run installs it where it is missing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CfnLintFinding {
  /** The template file, as given. */
  file: string;
  /** The rule's id, such as E3510 or W8003: E is an error, W a warning. */
  rule: string;
  level: string;
  /** Where in the template, such as Resources/CodeKey/Properties/KeyPolicy. */
  path: string;
  message: string;
}

interface JsonFinding {
  Filename: string;
  Level: string;
  Location: { Path?: (string | number)[] };
  Message: string;
  Rule: { Id: string };
}

type RunError = NodeJS.ErrnoException & { stdout?: string; stderr?: string };

/** cfn-lint with these arguments; a missing cfn-lint is the one failure named here. */
function cfnLintRun(args: string[]): Promise<{ stdout: string; stderr: string; failed?: RunError }> {
  return run('cfn-lint', args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: RunError) => {
    if (error.code === 'ENOENT') {
      throw new Error(
        'cfn-lint was not found on PATH: install it with pip install cfn-lint (CI installs it in .ci/run)',
      );
    }
    return { stdout: error.stdout ?? '', stderr: error.stderr ?? '', failed: error };
  });
}

/** cfn-lint's version (such as "cfn-lint 1.51.0"): a test checks it is there before packaging anything. */
export async function cfnLintVersion(): Promise<string> {
  const { stdout, stderr, failed } = await cfnLintRun(['--version']);
  if (failed) throw new Error(`cfn-lint --version failed: ${stderr}`);
  return stdout.trim();
}

/**
 * Every finding of `cfn-lint --format json` on the files, in one run (its start
 * costs about a second). A finding makes cfn-lint exit non-zero, so its exit
 * status is not read: output that is not its JSON report is the failure.
 */
export async function cfnLint(files: string[], region: string): Promise<CfnLintFinding[]> {
  const { stdout, stderr } = await cfnLintRun(['--format', 'json', '--regions', region, '--', ...files]);
  let report: JsonFinding[];
  try {
    report = JSON.parse(stdout) as JsonFinding[];
  } catch {
    throw new Error(`cfn-lint did not write its JSON report; it wrote: ${`${stdout}${stderr}`.slice(0, 2000)}`);
  }
  return report.map((finding) => ({
    file: finding.Filename,
    rule: finding.Rule.Id,
    level: finding.Level,
    path: (finding.Location.Path ?? []).join('/'),
    message: finding.Message,
  }));
}
