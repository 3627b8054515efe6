// Every subcommand is one file exporting `register(program, ctx)`; list it here.
import type { Command } from 'commander';

import type { CliContext } from '../context';
import * as check from './check';
import * as compare from './compare';
import * as exec from './exec';
import * as hostkeys from './hostkeys';
import * as hosts from './hosts';
import * as inventory from './inventory';
import * as packages from './packages';
import * as readiness from './readiness';
import * as run from './run';
import * as runs from './runs';
import * as services from './services';
import * as web from './web';

export const COMMANDS: readonly { register(program: Command, ctx: CliContext): void }[] = [
  web,
  hosts,
  inventory,
  exec,
  hostkeys,
  readiness,
  packages,
  compare,
  run,
  runs,
  check,
  services,
];
