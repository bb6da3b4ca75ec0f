import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The folder holding `initdb` and `pg_ctl`: `DREAMDECK_PG_BIN`, else the newest `/usr/lib/postgresql/<n>/bin`. */
export function postgresBinaries(): string | undefined {
  const given = process.env.DREAMDECK_PG_BIN;
  if (given) return existsSync(join(given, 'pg_ctl')) ? given : undefined;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(base, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(base, versions[0], 'bin');
}

/**
 * Whether a throwaway PostgreSQL cluster can be started here (`initdb` and `pg_ctl` found). When
 * not: with `CI` set this throws (CI must run these tests); otherwise it warns loudly and
 * resolves false so the caller can skip.
 */
export function requirePostgresBinaries(): string | undefined {
  const bin = postgresBinaries();
  if (bin) return bin;
  const message = 'initdb/pg_ctl not found (looked in /usr/lib/postgresql/*/bin and DREAMDECK_PG_BIN)';
  if (process.env.CI) throw new Error(`${message}; CI requires them to start a throwaway PostgreSQL cluster.`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! ${message}: SKIPPING the PostgreSQL restart tests.\n!! Install the postgresql package (or set DREAMDECK_PG_BIN) to run them.\n${'!'.repeat(78)}\n`,
  );
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A PostgreSQL cluster of the test's own, in a temporary folder on a free port (never the shared
 * server on 5432): `initdb`, then `pg_ctl start`/`stop` at will, then {@link ThrowawayCluster.destroy}.
 * `initdb` refuses to run as root, so as root every command runs as the `postgres` OS user
 * (`runuser -u postgres --`), the folder chowned to it. `fsync` is off (the tests stop or crash the
 * server, never the machine, so what reached the OS survives); commits stay synchronous, so a
 * committed write outlives an `immediate` stop as it would a crash of the server process.
 */
export class ThrowawayCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    /** The port it listens on (127.0.0.1). */
    readonly port: number,
  ) {}

  /** Connection string of the cluster's `postgres` database, as the `postgres` superuser (trust auth). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Creates the cluster (initdb) and starts it. */
  static async create(bin: string): Promise<ThrowawayCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'dd-pg-cluster-'));
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: group } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(group.trim()));
    }
    chmodSync(dir, 0o700);
    const cluster = new ThrowawayCluster(bin, dir, await freePort());
    await cluster.exec('initdb', ['-D', cluster.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  private async exec(tool: string, args: string[]): Promise<string> {
    const command = join(this.bin, tool);
    const [file, argv] =
      userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    try {
      const { stdout } = await run(file, argv, { cwd: this.dir, timeout: 60_000 });
      return stdout;
    } catch (error) {
      throw new Error(`${tool} ${args.join(' ')} failed: ${(error as Error).message}\n${this.log()}`);
    }
  }

  /** The server's log so far (for failure messages). */
  log(): string {
    const path = join(this.dir, 'server.log');
    return existsSync(path) ? readFileSync(path, 'utf8').slice(-4000) : '';
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.exec('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'server.log'), '-o', options, '-w', 'start']);
  }

  /** Stops the server (`fast`: rolls back open transactions and closes every connection; `immediate`: no checkpoint). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** Stops the server if it runs and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
