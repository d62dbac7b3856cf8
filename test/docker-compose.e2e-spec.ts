import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';

const COMPOSE_FILE = join(__dirname, '..', 'docker', 'docker-compose.yml');

/** `docker compose` (the plugin) where it works, else the standalone `docker-compose`. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  throw new Error(
    'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)',
  );
}

describe('docker/docker-compose.yml', () => {
  it('is accepted by docker compose config and holds Kafka, both databases, Odoo and the four apps', () => {
    const [command, ...args] = composeCommand();
    const rendered = execFileSync(command, [...args, '-f', COMPOSE_FILE, 'config'], {
      encoding: 'utf8',
    });
    const { services } = parse(rendered) as {
      services: Record<
        string,
        { image?: string; command?: string[]; environment?: Record<string, string> }
      >;
    };
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'capture', 'dispatcher', 'kafka', 'odoo', 'odoo-db', 'projector', 'stream-db'].sort(),
    );
    expect(services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services['odoo-db'].command).toEqual(expect.arrayContaining(['wal_level=logical']));
    for (const app of ['capture', 'projector', 'dispatcher', 'api']) {
      expect(services[app].environment).toMatchObject({ APP: app, KAFKA_BROKERS: 'kafka:9092' });
    }
  });
});
