import type { Command } from 'commander';

/**
 * Every `kq` subcommand, one module each, loaded lazily: `kq list` imports only list.ts (and what list.ts
 * imports), never the schema library of `kq config` or the renderers of `kq quiz`. Help, a bare `kq` and an
 * unknown command load them all. Adding a command is one line here.
 */
export interface CommandEntry {
  name: string;
  load: () => Promise<() => Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'list', load: async () => (await import('./list.js')).listCommand },
  { name: 'show', load: async () => (await import('./show.js')).showCommand },
  { name: 'validate', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'quiz', load: async () => (await import('./quiz.js')).quizCommand },
  { name: 'interview', load: async () => (await import('./interview.js')).interviewCommand },
  { name: 'stats', load: async () => (await import('./stats.js')).statsCommand },
  { name: 'unsuspend', load: async () => (await import('./unhide.js')).unsuspendCommand },
  { name: 'unbury', load: async () => (await import('./unhide.js')).unburyCommand },
  { name: 'config', load: async () => (await import('./config.js')).configCommand },
  { name: 'export', load: async () => (await import('./export.js')).exportCommand },
  { name: 'import', load: async () => (await import('./import.js')).importCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
  { name: 'broker', load: async () => (await import('./broker.js')).brokerCommand },
  { name: 'kafka', load: async () => (await import('./kafka.js')).kafkaCommand },
];

/** The entries to load for these arguments: just the named command when there is one, else all of them. */
export function commandsFor(args: readonly string[]): readonly CommandEntry[] {
  const named = commands.find((c) => c.name === args[0]);
  return named ? [named] : commands;
}
