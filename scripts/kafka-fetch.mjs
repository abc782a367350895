// `npm run kafka:fetch [--version V] [--cache-dir D]`: kq kafka fetch under its npm name. kq's own --version
// prints kq's version, so the Kafka version is passed on as --kafka-version.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv
  .slice(2)
  .map((arg) => (arg === '--version' ? '--kafka-version' : arg.replace(/^--version=/, '--kafka-version=')));
const kq = fileURLToPath(new URL('../bin/kq.js', import.meta.url));
const run = spawnSync(process.execPath, [kq, 'kafka', 'fetch', ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
