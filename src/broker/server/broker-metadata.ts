import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const META_PROPERTIES = 'meta.properties';

/**
 * The data dir's identity, Kafka's `meta.properties` (`version`, `node.id`, `cluster.id`): written on first
 * start and read afterwards, so clients see the same cluster id across restarts. A different node.id than
 * the one stored means someone pointed another broker at this dir; Kafka refuses, so does kq.
 */
export function loadOrCreateBrokerMetadata(dataDir: string, nodeId: number): { clusterId: string } {
  const file = join(dataDir, META_PROPERTIES);
  if (existsSync(file)) {
    const props = new Map(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes('=') && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()] as const),
    );
    const stored = Number(props.get('node.id'));
    if (props.has('node.id') && stored !== nodeId) {
      throw new Error(
        `${file} belongs to node.id ${stored}, but this broker is node.id ${nodeId}; use --config node.id=${stored} or another data dir`,
      );
    }
    const clusterId = props.get('cluster.id');
    if (clusterId) return { clusterId };
  }
  // Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding (Uuid.randomUuid().toString()).
  const clusterId = randomBytes(16).toString('base64url');
  writeFileSync(file, `# written by kq broker\nversion=1\nnode.id=${nodeId}\ncluster.id=${clusterId}\n`);
  return { clusterId };
}
