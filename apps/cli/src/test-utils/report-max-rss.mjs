// Preloaded with `node --import` by memory tests: writes the process's peak resident
// set size (kilobytes, from getrusage) to $CNNKIT_MAXRSS_FILE when it exits, so the
// CLI's own stdout and stderr stay exactly what a user sees.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.CNNKIT_MAXRSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
