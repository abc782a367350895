import type { Command } from 'commander';
import { brokerCommand } from './broker.js';
import { listCommand } from './list.js';
import { showCommand } from './show.js';
import { validateCommand } from './validate.js';

/**
 * Every `kq` subcommand, one module each. A command module exports a function that defines its
 * commander Command; heavy dependencies (ink, marked, the broker) are imported inside the action so
 * `kq list` never pays for the renderers of `kq quiz`.
 */
export const commands: Array<() => Command> = [listCommand, showCommand, validateCommand, brokerCommand];
