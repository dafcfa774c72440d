/**
 * Linux /proc readers for the benchmark and the memory soak: CPU time and memory of a server's
 * process group, or of one process. The benchmark spawns servers as process-group leaders, so the
 * group is the server and anything it forks.
 * Everything returns null where /proc is missing (not Linux) or the process is gone.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number((r.stdout ?? '').trim());
    ticksPerSecond = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return ticksPerSecond;
}

interface Stat {
  pid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks */
  ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses: fields restart after the last ')'
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // f[0] = state (field 3), f[2] = pgrp (5), f[11..14] = utime, stime, cutime, cstime (14..17)
    return { pid, pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** Live processes of process group `pgid` (the leader first, if alive). */
function groupMembers(pgid: number): Stat[] {
  const leader = readStat(pgid);
  const members: Stat[] = leader && leader.pgrp === pgid ? [leader] : [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return members;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === pgid) continue;
    const st = readStat(Number(e));
    if (st && st.pgrp === pgid) members.push(st);
  }
  return members;
}

/** User + system CPU of the group (with reaped children), in ms; 10 ms resolution at the usual 100 Hz. */
export function groupCpuMs(pgid: number): number | null {
  const members = groupMembers(pgid);
  if (members.length === 0) return null;
  return (members.reduce((sum, m) => sum + m.ticks, 0) * 1000) / clockTicks();
}

function statusKb(pid: number, key: string): number | null {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** VmRSS (now) and VmHWM (peak) of one process, MB; null where /proc is missing or the process is gone. */
export function processMemory(pid: number): { rssMB: number | null; peakRssMB: number | null } {
  const mb = (kb: number | null) => (kb === null ? null : kb / 1024);
  return { rssMB: mb(statusKb(pid, 'VmRSS')), peakRssMB: mb(statusKb(pid, 'VmHWM')) };
}

export interface Memory {
  /** VmHWM of the server process itself, MB */
  peakRssMB: number | null;
  /** VmRSS now, MB */
  rssMB: number | null;
  /** processes in the group; when > 1, groupPeakRssMB sums their peaks */
  processes: number;
  groupPeakRssMB: number | null;
}

export function memoryOf(pgid: number): Memory {
  const mb = (kb: number | null) => (kb === null ? null : kb / 1024);
  const members = groupMembers(pgid);
  let sum = 0;
  for (const m of members) sum += statusKb(m.pid, 'VmHWM') ?? 0;
  return {
    peakRssMB: mb(statusKb(pgid, 'VmHWM')),
    rssMB: mb(statusKb(pgid, 'VmRSS')),
    processes: members.length,
    groupPeakRssMB: members.length ? sum / 1024 : null,
  };
}

export function machineInfo(): { cpuModel: string; cores: number; memoryMB: number; kernel: string } {
  let cpuModel = 'unknown';
  let cores = 0;
  try {
    const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? cpuModel;
    cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  } catch {
    /* not Linux */
  }
  if (!cores) cores = os.cpus().length;
  if (cpuModel === 'unknown') cpuModel = os.cpus()[0]?.model ?? cpuModel;
  return { cpuModel, cores, memoryMB: Math.round(os.totalmem() / 1048576), kernel: `${os.type()} ${os.release()}` };
}
