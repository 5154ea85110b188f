import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) another process has used so far, from /proc (Linux; undefined
 * elsewhere). On a shared machine latencies swing with others' load; the CPU a piece of work
 * costs much less so.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}
