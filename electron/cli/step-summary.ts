// The Markdown `vigil run` appends to $GITHUB_STEP_SUMMARY when it runs in GitHub Actions: the
// logs verified, entries scanned, findings with a link to their issue, and the integrity state
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary).
import type { Classification } from '../core/watch/types';
import type { TreeReport } from '../monitor/jobs/cycle';

export interface Finding {
  readonly classification: Classification;
  readonly watch: string;
  readonly origin: string;
  readonly logIndex: number;
  readonly reason: string;
}

export interface SummaryContext {
  /** `https://github.com/owner/repo` (GITHUB_SERVER_URL + GITHUB_REPOSITORY), for issue links. */
  readonly repositoryUrl?: string;
  /** The label the github-issue channel puts on its issues. */
  readonly issueLabel?: string;
}

/** Markdown cell text: no pipes, no line breaks, no HTML. */
const cell = (text: string) =>
  text
    .replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .slice(0, 300);

const count = (n: number) => n.toLocaleString('en-US');

export function stepSummary(
  trees: readonly TreeReport[],
  findings: readonly Finding[],
  context: SummaryContext = {},
): string {
  const failures = trees.filter((t) => t.integrityFailure);
  const errors = trees.filter((t) => t.error && !t.integrityFailure);
  const alarming = findings.filter((f) => f.classification !== 'expected');
  const lines = ['## Vigil', ''];
  lines.push(
    failures.length > 0
      ? `**Log integrity failure** on ${failures.map((t) => `\`${cell(t.origin)}\``).join(', ')}: the log served data that contradicts what it signed before. Keep the evidence (\`vigil export\`).`
      : `Every log verified: ${trees.length - errors.length} of ${trees.length} checked, each checkpoint signed and consistent with the last.`,
    '',
    '| Log | Verified size | Scanned | State |',
    '| --- | ---: | ---: | --- |',
  );
  for (const t of trees) {
    const state = t.integrityFailure
      ? 'integrity failure'
      : t.error
        ? `${t.error.code}: ${cell(t.error.message)}`
        : 'verified';
    lines.push(
      `| ${cell(t.origin)} | ${t.treeSize === null ? '-' : count(t.treeSize)} | ${count(t.scanned)} | ${state} |`,
    );
  }
  lines.push(
    '',
    `### Findings: ${alarming.length} to look at, ${findings.length - alarming.length} expected`,
    '',
  );
  if (findings.length === 0)
    lines.push('No signing under the watched identities in the scanned entries.');
  for (const f of findings) {
    const where = `${f.origin} #${f.logIndex}`;
    const issue =
      context.repositoryUrl && f.classification !== 'expected'
        ? ` ([issue](${context.repositoryUrl}/issues?q=${encodeURIComponent(`is:issue label:"${context.issueLabel ?? 'vigil'}" "${where}"`)}))`
        : '';
    lines.push(
      `- **${f.classification.toUpperCase()}** \`${cell(f.watch)}\` at \`${cell(where)}\`: ${cell(f.reason)}${issue}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
