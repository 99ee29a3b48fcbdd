import { monitorEventLoopDelay } from 'node:perf_hooks';

type Sample = () => number;

/**
 * A handful of counters and gauges in Prometheus text format. Small on purpose: the hot path
 * (pose relay) only bumps a number, and gauges are read when /metrics is scraped.
 */
export class Metrics {
  private counters = new Map<string, { help: string; value: number }>();
  private gauges = new Map<string, { help: string; read: Sample }>();
  private loop = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
    this.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
    this.gauge('nodejs_eventloop_delay_p99_seconds', 'Event-loop delay p99 since the last scrape.', () => {
      const v = this.loop.percentile(99) / 1e9;
      this.loop.reset();
      return v;
    });
    this.gauge('process_uptime_seconds', 'Seconds since the process started.', () => process.uptime());
  }

  counter(name: string, help: string): { inc: (by?: number) => void } {
    const c = { help, value: 0 };
    this.counters.set(name, c);
    return { inc: (by = 1) => void (c.value += by) };
  }

  gauge(name: string, help: string, read: Sample): void {
    this.gauges.set(name, { help, read });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, c] of this.counters) lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`, `${name} ${c.value}`);
    for (const [name, g] of this.gauges) lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`);
    return lines.join('\n') + '\n';
  }

  close(): void {
    this.loop.disable();
  }
}
