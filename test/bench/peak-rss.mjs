// Preloaded (node --import) into a `vigil` process that a benchmark starts: at exit, writes the
// process's peak RSS (getrusage ru_maxrss, which covers every thread, the matching worker
// included) and its CPU time to the file named by VIGIL_BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env['VIGIL_BENCH_USAGE_FILE'];
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKb: usage.maxRSS,
        cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      }),
    );
  });
}
